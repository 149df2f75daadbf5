"""``course nbgrader OUT``: the course as an nbgrader course directory, for JupyterHub.

One assignment per module of ``course.yml`` and one notebook per exercise
(``source/<module>/<exercise>.ipynb``). A notebook holds the exercise's README, its starter in an
autograded-answer cell, the public tests in read-only cells (one autograded-test cell per test,
for that test's points) and the hidden graders in one autograded-test cell between
``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``, for the rest of the exercise's points. The
cells run through :mod:`grader.notebook`, so they need the kit installed in the kernel, and they
score what ``course grade`` scores.

Points per cell come from the tests pytest collects (a parametrised test is worth its points once
per parameter, as in ``course grade``); they must add up to each exercise's points in
``course.yml``, or nothing is written.

Example::

    >>> write_nbgrader_course(load_course("course.yml"), Path("nbgrader-course"))  # doctest: +SKIP
    ['nbgrader_config.py', 'README.md', 'source/asyncio_basics/fix_blocking.ipynb', ...]
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from grader.manifest import Course, Exercise
from grader.notebook import HIDDEN_MARKS, join_files
from grader.points import declared_points, points_for
from grader.runner import AUTOLOAD_OFF, is_hidden, pytest_command
from grader.tasks import grader_files

NBGRADER_SCHEMA = 3
SOLUTION_REGION = "### BEGIN SOLUTION\n### END SOLUTION\n"
ANSWER_STUB = "# Your answer: edit the code below."


class NbgraderError(Exception):
    """The nbgrader course cannot be written; the message says why."""


def collected_nodeids(course: Course, exercises: list[Exercise]) -> list[str]:
    """Every test's node id (parameters included), collected with the reference solutions.

    >>> collected_nodeids(course, course.exercises)[:1]                        # doctest: +SKIP
    ['exercises/gil_threads/test_gil_threads.py::test_download_all_returns_the_body_of_every_url']
    """
    files = [str(p) for ex in exercises for p in [*ex.public_tests(), *ex.hidden_tests()]]
    cmd = [*pytest_command(course), "-p", "no:cacheprovider", "--collect-only"]
    for ex in exercises:
        cmd += ["--course-file", f"{ex.slug}={ex.solution}"]
    env = {**os.environ, **AUTOLOAD_OFF}
    proc = subprocess.run(cmd + files, capture_output=True, text=True, cwd=course.root, env=env, check=False)
    if proc.returncode != 0:
        raise NbgraderError(f"collecting the tests failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return [line.strip() for line in proc.stdout.splitlines() if "::" in line]


def cell_points(course: Course, exercise: Exercise, nodeids: list[str]) -> tuple[dict[str, float], float]:
    """(points per public test function, points of all hidden tests) of ``exercise``."""
    mine = {
        p.relative_to(course.root).as_posix() for p in [*exercise.public_tests(), *exercise.hidden_tests()]
    }
    declared = declared_points([*exercise.public_tests(), *exercise.hidden_tests()], course.root)
    public: Counter[str] = Counter()
    hidden = 0.0
    for nodeid in nodeids:
        file = nodeid.split("::", 1)[0]
        if file not in mine:
            continue
        points = points_for(nodeid, declared)
        if is_hidden(file):
            hidden += points
        else:
            public[nodeid.split("::", 1)[1].split("[", 1)[0]] += points
    total = sum(public.values()) + hidden
    if total != exercise.points:
        raise NbgraderError(
            f"{exercise.slug}: its tests are worth {total:g} points, course.yml gives it {exercise.points}"
        )
    return dict(public), hidden


def exercise_manifest(course: Course, exercise: Exercise) -> str:
    """``course.yml`` with this exercise alone: what the notebook's tests need to run it."""
    raw = yaml.safe_load(course.file.read_text(encoding="utf-8"))
    mine = next(e for e in raw["exercises"] if e["slug"] == exercise.slug)
    module = next(m for m in raw["modules"] if m["slug"] == exercise.module)
    keep = {k: raw[k] for k in ("format_version", "title", "grading") if k in raw}
    return yaml.safe_dump(
        {**keep, "modules": [module], "exercises": [mine]}, sort_keys=False, allow_unicode=True
    )


def notebook_files(course: Course, exercise: Exercise) -> tuple[dict[str, str], dict[str, str]]:
    """(public, hidden) files of the exercise's runs, as ``course grade`` copies them in
    (``grader.tasks.grader_files``), with a manifest of this exercise alone among the public ones.
    """
    public: dict[str, str] = {"course.yml": exercise_manifest(course, exercise)}
    hidden: dict[str, str] = {}
    for rel, data in grader_files(course, exercise).items():
        if rel != "course.yml":
            (hidden if is_hidden(rel) else public)[rel] = data.decode("utf-8")
    return public, hidden


def _runs_in_kernel(course: Course, exercise: Exercise) -> bool:
    # Graders that take only the file's path (student_path) keep the code out of their own process
    # (gevent patches the whole interpreter); the notebook keeps it out of the kernel likewise.
    tests = [*exercise.public_tests(), *exercise.hidden_tests()]
    return not any("student_path" in p.read_text(encoding="utf-8") for p in tests)


def _cell(kind: str, source: str, grade_id: str | None = None, **nbgrader: Any) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": kind, "metadata": {}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    if grade_id is not None:
        meta = {"grade": False, "locked": False, "solution": False, "task": False}
        meta.update(nbgrader, grade_id=grade_id, schema_version=NBGRADER_SCHEMA)
        cell["metadata"]["nbgrader"] = dict(sorted(meta.items()))
    return cell


def jupyter_note(exercise: Exercise, runs_in_kernel: bool) -> str:
    """The README's paragraph on working in Jupyter, whose kernel already runs an event loop."""
    where = (
        "Running the answer cell defines your functions in the notebook, so you can try them in the "
        "cell after it with top-level `await`, e.g. `await main()`."
        if runs_in_kernel
        else "This exercise's code patches the whole interpreter, so the answer cell only saves it: "
        "the tests run it in a process of its own."
    )
    return (
        "## Working in Jupyter\n\n"
        "A notebook's kernel already runs an event loop, so `asyncio.run(...)` fails in a cell "
        '("cannot be called from a running event loop"). Use top-level `await` instead. '
        f"The answer cell is saved as `{exercise.filename}` and the tests run it on an event loop of "
        f"their own, in a process of their own, exactly as `course grade` does. {where}\n\n"
        "Run the cells from the top. The hidden tests are added when your notebook is graded."
    )


def build_notebook(
    course: Course, exercise: Exercise, public: dict[str, float], hidden: float
) -> dict[str, Any]:
    """The exercise's source notebook (nbformat 4), ready for ``nbgrader generate_assignment``."""
    slug = exercise.slug
    in_kernel = _runs_in_kernel(course, exercise)
    readme = (exercise.exercise_dir / "README.md").read_text(encoding="utf-8").strip()
    hints = "\n\n".join(
        f"<details><summary>Hint {i}</summary>\n\n{h.strip()}\n\n</details>"
        for i, h in enumerate(exercise.hints, 1)
    )
    files, hidden_files = notebook_files(course, exercise)
    starter = exercise.starter.read_text(encoding="utf-8")
    run_flag = "" if in_kernel else " --no-run"
    cells = [
        _cell("markdown", f"{readme}\n\n{jupyter_note(exercise, in_kernel)}", f"{slug}-readme", locked=True),
        _cell("markdown", f"## Hints\n\n{hints}", f"{slug}-hints", locked=True) if hints else None,
        _cell("code", "%load_ext grader.notebook", f"{slug}-setup", locked=True),
        _cell("code", f"%%course_files\n{join_files(files)}", f"{slug}-public-tests", locked=True),
        _cell(
            "markdown", f"## Your answer\n\nWrite your code in the cell below (it is `{exercise.filename}`)."
        ),
        # nbgrader replaces a solution cell that has no solution region with its stub; this empty
        # region keeps the starter, and becomes the stub line of nbgrader_config.py.
        _cell(
            "code",
            f"%%exercise {slug}{run_flag}\n{SOLUTION_REGION}{starter}",
            f"{slug}-answer",
            solution=True,
        ),
        _cell("markdown", "## Try it\n\nTop-level `await` works here; `asyncio.run` does not."),
        _cell("code", "# try your code here\n"),
        _cell("markdown", "## Tests\n\nEach cell runs one public test; the last one holds the hidden tests."),
    ]
    for name, points in public.items():
        cells.append(
            _cell(
                "code",
                f"%course_test {slug} {name}",
                f"{slug}-{name}",
                grade=True,
                locked=True,
                points=points,
            )
        )
    if hidden:
        body = join_files(hidden_files)
        source = f"%%hidden_tests {slug}\n{HIDDEN_MARKS[0]}\n{body}{HIDDEN_MARKS[1]}"
        cells.append(_cell("code", source, f"{slug}-hidden", grade=True, locked=True, points=hidden))
    for i, cell in enumerate(c for c in cells if c is not None):
        cell["source"] = cell["source"].splitlines(keepends=True)
        cell["id"] = f"cell-{i:02d}"  # nbformat 4.5 wants one; stable, so regenerating changes nothing
    return {
        "cells": [c for c in cells if c is not None],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def config_text(course: Course) -> str:
    """``nbgrader_config.py`` for the course directory."""
    # A test cell runs a whole exercise's tests the first time; nbgrader's default of 30 s per cell
    # is less than one test's own time limit.
    per_cell = max(600, int(course.grading.timeout * 20))
    course_id = re.sub(r"[^a-z0-9]+", "-", (course.title or "course").lower()).strip("-")
    return (
        "# Written by `course nbgrader` from course.yml.\n"
        "c = get_config()  # noqa: F821 (nbgrader provides it)\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"c.Execute.timeout = {per_cell}\n"
        "# The answer cells keep their starter: their (empty) solution region becomes this line.\n"
        f"c.ClearSolutions.code_stub = {{'python': {ANSWER_STUB!r}}}\n"
    )


README = """\
# {title}: nbgrader course

Written by `course nbgrader` from the course kit. One assignment per module, one notebook per
exercise. The notebooks load `grader.notebook` from the course kit: install the kit (`pip install
'asyncio-course-kit[nbgrader]'`) wherever the notebooks run, students' kernels included.

    nbgrader generate_assignment {first}      # release/{first}/: hidden tests removed
    nbgrader autograde {first} --create       # after collecting submitted/<student>/{first}/

Each notebook's points are those of `course.yml`; the scores equal what `course grade` gives the
same code.
"""


def write_nbgrader_course(course: Course, out: Path, *, only: list[str] | None = None) -> list[str]:
    """Write the nbgrader course directory OUT (new or empty); return the files written."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise NbgraderError(f"{out} is not empty: choose a new folder")
    try:
        exercises = course.select(only)
    except KeyError as exc:
        raise NbgraderError(str(exc.args[0])) from None
    nodeids = collected_nodeids(course, exercises)
    files: dict[str, str] = {"nbgrader_config.py": config_text(course)}
    files["README.md"] = README.format(title=course.title or "The course", first=exercises[0].module)
    for ex in exercises:
        public, hidden = cell_points(course, ex, nodeids)
        notebook = build_notebook(course, ex, public, hidden)
        files[f"source/{ex.module}/{ex.slug}.ipynb"] = (
            json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".nbgrader-", dir=out.parent))
    for rel, text in files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if out.exists():
        out.rmdir()
    shutil.move(str(staging), out)
    return sorted(files)


def fill_answer(notebook: dict[str, Any], code: str) -> dict[str, Any]:
    """``notebook`` with its answer cell holding ``code``: a student's submission, made from a file.

    The ``%%exercise`` line stays; what follows it is replaced. Tests and benchmarks use it to turn
    the files of ``course grade`` into the notebooks of ``nbgrader autograde``.
    """
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and str(meta.get("grade_id", "")).endswith("-answer"):
            source = "".join(cell["source"])
            magic = source.split("\n", 1)[0]
            cell["source"] = f"{magic}\n{code}".splitlines(keepends=True)
            return notebook
    raise NbgraderError("the notebook has no answer cell")


def run_nbgrader(course_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run this environment's ``nbgrader`` in ``course_dir``; raise NbgraderError if it fails.

    nbgrader runs ``alembic`` from PATH when it makes its gradebook, so this environment's ``bin``
    goes first. Example: ``run_nbgrader(Path("nbgrader-course"), "autograde", "asyncio_basics")``.
    """
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(
        [str(bin_dir / "nbgrader"), *args],
        cwd=course_dir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise NbgraderError(f"nbgrader {' '.join(args)} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return proc
