"""``course release OUT``: the repository students clone, checked for leaks before it exists.

The release holds what a student needs and nothing else: each exercise's folder (starter, README,
public tests), the kit's ``grader`` package (``course check`` and the pytest plugin), ``pyproject.toml``,
and files written for students: ``course.yml`` without its comments (they describe ``solutions/``),
a ``Makefile`` whose ``make check`` bootstraps ``.venv``, a ``README.md`` that starts with
``make check``, a ``.gitignore``, a GitHub Classroom workflow that awards each exercise's points
through ``course check``, ``public-tests.sha256`` so ``course check`` notices an edited test, and
``starters.sha256`` so ``course reset`` finds the starter after the student commits.
Never copied: ``solutions/`` (reference solutions, hidden graders, variants), the kit's
``tests/``, ``bench/``, ``.ci/`` and ``docs/``.

The tree is built in a temporary folder beside OUT, scanned by ``grader.leaks``, and only renamed to
OUT when clean: a failed release leaves nothing behind.

Example::

    >>> release(load_course("course.yml"), Path("../student-repo"))   # doctest: +SKIP
    ['.github/workflows/classroom.yml', '.gitignore', 'Makefile', 'README.md', ...]
"""

from __future__ import annotations

import re
import shutil
import tempfile
import textwrap
from pathlib import Path

import yaml

from grader import checksums
from grader.leaks import find_leaks
from grader.manifest import Course
from grader.progress import STATE_FILE

_SKIP_PARTS = {"__pycache__", ".pytest_cache"}


class ReleaseError(Exception):
    """The release cannot be written; the message says why."""


def copied_files(course: Course) -> dict[str, Path]:
    """``{path in the release: source file}`` for the files copied as they are.

    Example: ``copied_files(course)["exercises/timeouts/README.md"]`` -> the course's own README path.
    """
    files: dict[str, Path] = {}
    kit = Path(__file__).resolve().parent
    sources = [(kit, "grader")] + [
        (ex.exercise_dir, ex.exercise_dir.relative_to(course.root).as_posix()) for ex in course.exercises
    ]
    for folder, prefix in sources:
        for path in sorted(folder.rglob("*")):
            parts = path.relative_to(folder).parts
            if path.is_file() and not _SKIP_PARTS & set(parts) and path.suffix != ".pyc":
                files[f"{prefix}/{'/'.join(parts)}"] = path
    return files


def student_course_yml(course_text: str) -> str:
    """course.yml for students: the same data, without the comments that describe ``solutions/``.

    >>> student_course_yml("# secret: solutions/x\\ntitle: T\\n").splitlines()[-1]
    'title: T'
    """
    data = yaml.safe_load(course_text)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return "# The course's manifest: exercise order, points and hints. Written by `course release`.\n" + body


def student_pyproject(text: str) -> str:
    """pyproject.toml without the maintainers' ``[tool.ruff...]`` tables (they name solutions/).

    >>> student_pyproject("[project]\\nname = 'k'\\n\\n[tool.ruff]\\nx = 1\\n[tool.x]\\n")
    "[project]\\nname = 'k'\\n\\n[tool.x]\\n"
    """
    return re.sub(r"^\[tool\.ruff[^\]]*\]\n(?:(?!\[).*\n|\n)*", "", text, flags=re.M)


MAKEFILE = """\
# `make check` bootstraps its own virtual environment from a bare python3 (3.11+) the first time.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOG    := $(VENV)/install.log

.PHONY: check clean

# The loop never fails make itself: its output says what to do next.
check: $(VENV)/.student
\t@$(BIN)/course check || true

$(BIN)/python:
\t@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed")'
\t@echo "creating $(VENV) with $$($(PYTHON) --version)"
\t@$(PYTHON) -m venv $(VENV)

$(VENV)/.student: pyproject.toml | $(BIN)/python
\t@echo "installing the course into $(VENV) (once)"
\t@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . > $(LOG) 2>&1 || (cat $(LOG); exit 1)
\t@touch $@

clean:
\trm -rf $(VENV) .pytest_cache *.egg-info
"""

GITIGNORE = f""".venv/
__pycache__/
*.pyc
.pytest_cache/
*.egg-info/
# your progress (course check, course hint)
{STATE_FILE}
"""


def student_readme(course: Course) -> str:
    """The release's README.md: it starts with ``make check``, then lists the exercises.

    Example: ``student_readme(course).splitlines()[2:4]`` -> ``["```sh", "make check   # ..."]``.
    """
    lines = [
        f"# {course.title}",
        "",
        "```sh",
        "make check   # run your exercises' public tests: progress, the next exercise, a hint",
        "```",
        "",
        "The first run creates `.venv` with the course's tools (Python 3.11 or newer needed).",
        "Then, for the exercise it names next: read its `README.md`, edit the one file it names (look",
        "for the `TODO`s), and run `make check` again. Stuck? `.venv/bin/course hint SLUG` gives the next",
        "hint: first the concept, then the API, then the approach; never the code.",
        "",
        "Your work is also graded by hidden tests that check more than the public ones (that your code",
        "really runs concurrently, survives cancellation, leaves nothing running). Do not edit the public",
        "tests (`exercises/*/test_*.py`): grading uses the course's own copy, and",
        f"`{checksums.CHECKSUM_FILE}` lets `make check` warn you when one was changed.",
        "",
        "## Exercises",
        "",
    ]
    if course.description:  # after the command: the README starts with `make check`
        lines[6:6] = [*textwrap.wrap(course.description, 100), ""]
    for module in course.modules:
        members = [ex for ex in course.exercises if ex.module == module.slug]
        if members:
            lines += [f"**{module.title}**", ""]
            lines += [f"- `{ex.slug}`: {ex.title} ({ex.points:g} points)" for ex in members]
            lines.append("")
    return "\n".join(lines)


def classroom_workflow(course: Course) -> str:
    """GitHub Classroom's autograding workflow: one step per exercise, worth its points.

    Each step runs ``course check SLUG`` (exit status 0 when its public tests pass), so the
    exercises and points come from course.yml at release time, not from a list kept by hand.
    Example: ``yaml.safe_load(classroom_workflow(course))["jobs"]`` -> one job, a step per exercise.
    """
    steps: list[dict[str, object]] = [
        {"name": "Checkout code", "uses": "actions/checkout@v4"},
        {"name": "Set up Python", "uses": "actions/setup-python@v5", "with": {"python-version": "3.11"}},
        {"name": "Install the course", "run": "make .venv/.student"},
    ]
    for ex in course.exercises:
        steps.append(
            {
                "name": ex.slug,
                "id": ex.slug,
                "uses": "classroom-resources/autograding-command-grader@v1",
                "with": {
                    "test-name": ex.slug,
                    "setup-command": "",
                    "command": f".venv/bin/course check {ex.slug}",
                    "timeout": 10,
                    "max-score": int(ex.points) if float(ex.points).is_integer() else ex.points,
                },
            }
        )
    steps.append(
        {
            "name": "Autograding Reporter",
            "uses": "classroom-resources/autograding-grading-reporter@v1",
            "env": {
                f"{ex.slug.upper()}_RESULTS": f"${{{{steps.{ex.slug}.outputs.result}}}}"
                for ex in course.exercises
            },
            "with": {"runners": ",".join(ex.slug for ex in course.exercises)},
        }
    )
    workflow = {
        "name": "Autograding Tests",
        "on": ["push", "repository_dispatch"],
        "permissions": {"checks": "write", "actions": "read", "contents": "read"},
        "jobs": {
            "run-autograding-tests": {
                "runs-on": "ubuntu-latest",
                "if": "github.actor != 'github-classroom[bot]'",
                "steps": steps,
            }
        },
    }
    header = "# Written by `course release` from course.yml: each exercise's public tests, for its points.\n"
    return header + yaml.safe_dump(workflow, sort_keys=False, width=120)


def write_tree(course: Course, dest: Path) -> list[str]:
    """Write the release's files into the empty folder ``dest``; return their paths, sorted.

    Example: ``write_tree(course, Path("/tmp/staging"))`` -> ``[".github/workflows/classroom.yml", ...]``.
    """
    written = {}
    for rel, source in copied_files(course).items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written[rel] = target
    generated = {
        "course.yml": student_course_yml(course.file.read_text(encoding="utf-8")),
        "pyproject.toml": student_pyproject((course.root / "pyproject.toml").read_text(encoding="utf-8")),
        "Makefile": MAKEFILE,
        "README.md": student_readme(course),
        ".gitignore": GITIGNORE,
        ".github/workflows/classroom.yml": classroom_workflow(course),
    }
    for rel, text in generated.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text, encoding="utf-8")
    tests = [t.relative_to(course.root).as_posix() for ex in course.exercises for t in ex.public_tests()]
    (dest / checksums.CHECKSUM_FILE).write_text(checksums.render(checksums.compute(dest, tests)))
    starters = [ex.path for ex in course.exercises]
    (dest / checksums.STARTERS_FILE).write_text(checksums.render(checksums.compute(dest, starters)))
    return sorted([*written, *generated, checksums.CHECKSUM_FILE, checksums.STARTERS_FILE])


def release(course: Course, out: Path) -> list[str]:
    """Write the student repository to ``out`` (new or empty) and return its files' paths.

    Raises ``ReleaseError`` if ``out`` holds anything, if pyproject.toml is missing beside
    course.yml, or if a solution's code or a hidden test's name is found in the result (each
    place listed); then nothing is written.
    """
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseError(f"{out} exists and is not an empty folder: name a new one")
    if not (course.root / "pyproject.toml").is_file():
        raise ReleaseError(f"no pyproject.toml beside {course.file}: the release installs the kit from it")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        files = write_tree(course, staging)
        leaks = find_leaks(course, staging)
        if leaks:
            listed = "\n".join(f"  {leak}" for leak in leaks)
            raise ReleaseError(f"{len(leaks)} secret(s) would reach students; nothing written:\n{listed}")
        if out.exists():
            out.rmdir()
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return files
