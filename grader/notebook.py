"""Exercises in Jupyter: the IPython extension that the notebooks of ``course nbgrader`` load.

A notebook kernel already runs an event loop, so ``asyncio.run()`` fails in a cell, and the kit's
graders test a file, not cells. The extension bridges the two. The notebook's answer cell starts
with ``%%exercise SLUG``: the cell becomes the exercise's file in a workspace of the kernel's own,
and runs as a module named after it (not ``__main__``), whose names are then in the notebook for
top-level ``await``. The test cells run that file's tests in a pytest process of their own, on a
loop of their own, with the same plugin, time limits and teaching messages as ``course grade``;
so a notebook scores what ``course grade`` gives the same code.

Example (the cells of a notebook, in order)::

    %load_ext grader.notebook

    %%course_files
    # ---- file: course.yml ----
    ...                                   # this exercise's entry of the course's manifest
    # ---- file: exercises/fix_blocking/test_fix_blocking.py ----
    ...

    %%exercise fix_blocking
    async def fetch(url, latency): ...    # the student's code

    await fetch("a", 0.1)                 # trying it out: top-level await works in Jupyter

    %course_test test_returns_the_body    # a public test: passes, or fails with the reason

    %%hidden_tests fix_blocking           # the hidden graders, restored by nbgrader when grading
    ### BEGIN HIDDEN TESTS
    # ---- file: solutions/fix_blocking/hidden/<the hidden test module>.py ----
    ...
    ### END HIDDEN TESTS
"""

from __future__ import annotations

import hashlib
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.manifest import Course, Exercise, load_course
from grader.results import ExerciseResult, TestResult
from grader.runner import RunPlan, run_plan
from grader.student import StudentCodeError, load_student_module

FILE_MARK = re.compile(r"^# ---- file: (?P<path>\S+) ----$")
HIDDEN_MARKS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


class TestsFailed(AssertionError):
    """A test cell earned nothing; the message says why, as ``course grade`` would."""

    __test__ = False


def split_files(body: str) -> dict[str, str]:
    """The files in a cell body, each introduced by a ``# ---- file: PATH ----`` line.

    >>> split_files("# ---- file: a.py ----\\nx = 1\\n# ---- file: b/c.py ----\\ny = 2\\n")
    {'a.py': 'x = 1\\n', 'b/c.py': 'y = 2\\n'}
    """
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body.splitlines(keepends=True):
        mark = FILE_MARK.match(line.rstrip("\n"))
        if mark:
            current = files.setdefault(mark["path"], [])
        elif line.rstrip("\n") in HIDDEN_MARKS:
            continue  # nbgrader's markers: they belong to the notebook, not to the files
        elif current is not None:
            current.append(line)
    return {path: "".join(lines) for path, lines in files.items()}


def join_files(files: dict[str, str]) -> str:
    """The inverse of :func:`split_files`.

    >>> split_files(join_files({"a.py": "x = 1\\n"}))
    {'a.py': 'x = 1\\n'}
    """
    return "".join(f"# ---- file: {path} ----\n{text}" for path, text in files.items())


def _safe_relative(path: str) -> Path:
    rel = Path(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise ValueError(f"{path!r} is not a path inside the workspace")
    return rel


@dataclass
class Workspace:
    """The kernel's files: the manifest, the tests and the student's file; and the last results."""

    root: Path
    _cache: dict[tuple[str, str], ExerciseResult] = field(default_factory=dict)

    def write(self, files: dict[str, str]) -> None:
        """Write ``files`` (relative path: text) under the workspace."""
        for path, text in files.items():
            target = self.root / _safe_relative(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def course(self) -> Course:
        """The manifest the notebook brought (``%%course_files``)."""
        file = self.root / "course.yml"
        if not file.exists():
            raise TestsFailed("run the notebook's first cells (from the top) before its tests")
        return load_course(file, check_files=False)

    def exercise(self, slug: str) -> Exercise:
        """The exercise named ``slug`` in the notebook's manifest."""
        return self.course().exercise(slug)

    def student_file(self, exercise: Exercise) -> Path:
        """Where the answer cell's code is written: the exercise's own path."""
        return self.root / exercise.path

    def results(self, exercise: Exercise, *, hidden: bool) -> ExerciseResult:
        """The public (or hidden) tests' results for the current answer, run once per content."""
        public = exercise.public_tests()
        tests = [*public, *exercise.hidden_tests()] if hidden else public
        # The hidden graders may import the public test module (its servers and doubles), so it
        # is collected; its tests already ran for the public cells and are deselected.
        extra = [arg for p in public for arg in ("--deselect", p.relative_to(self.root).as_posix())]
        key = (self._digest([self.student_file(exercise), *tests]), "hidden" if hidden else "public")
        if key not in self._cache:
            plan = RunPlan(
                self.course(),
                exercise,
                tests,
                self.student_file(exercise),
                extra_args=extra if hidden else [],
            )
            self._cache[key] = run_plan(plan)
        return self._cache[key]

    @staticmethod
    def _digest(paths: list[Path]) -> str:
        h = hashlib.sha256()
        for p in paths:
            h.update(str(p).encode())
            h.update(p.read_bytes() if p.exists() else b"(missing)")
        return h.hexdigest()


def score_of(tests: list[TestResult]) -> tuple[float, float]:
    """(points earned, points possible) of ``tests``.

    >>> score_of([TestResult("t", "passed", 1, 1), TestResult("t", "failed", 0, 2)])
    (1, 3)
    """
    return sum(t.score for t in tests), sum(t.max_score for t in tests)


def verdict(result: ExerciseResult, tests: list[TestResult], what: str) -> float | None:
    """What a test cell shows: None when every test passed (nbgrader gives full points), the points
    earned when some did (nbgrader's partial credit), and TestsFailed when none did.
    """
    if not tests:
        reason = result.message or "no test ran"
        raise TestsFailed(f"{what}: {reason}")
    earned, possible = score_of(tests)
    failures = [f"{t.name}: {t.message or t.status}" for t in tests if t.status != "passed"]
    if not failures:
        print(f"✓ {what}: passed ({earned:g}/{possible:g})")
        return None
    if earned == 0:
        raise TestsFailed("\n".join([f"{what}: 0/{possible:g}", *failures]))
    print("\n".join([f"{what}: {earned:g}/{possible:g}", *failures]))
    return float(earned)


def _base_name(name: str) -> str:
    return name.split("[", 1)[0]


def run_public_test(ws: Workspace, slug: str, name: str) -> float | None:
    """The verdict of the public test ``name`` (all its parameters) on the answer cell's code."""
    __tracebackhide__ = True
    exercise = ws.exercise(slug)
    result = ws.results(exercise, hidden=False)
    tests = [t for t in result.tests if _base_name(t.name) == name]
    return verdict(result, tests, name)


def run_hidden_tests(ws: Workspace, slug: str) -> float | None:
    """The verdict of the hidden graders on the answer cell's code, as one score."""
    __tracebackhide__ = True
    exercise = ws.exercise(slug)
    result = ws.results(exercise, hidden=True)
    tests = [t for t in result.tests if t.visibility == "hidden"]
    return verdict(result, tests, "hidden tests")


def run_answer(ws: Workspace, slug: str, source: str, namespace: dict[str, Any], *, execute: bool) -> None:
    """Write the answer cell as the exercise's file; unless told not to, run it and share its names.

    It runs as a module named after the exercise, so an ``if __name__ == "__main__":`` block with
    ``asyncio.run`` stays quiet, and its functions pickle into a process pool as in a script.
    """
    __tracebackhide__ = True
    exercise = ws.exercise(slug)
    path = ws.student_file(exercise)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    if not execute:
        return
    try:
        module = load_student_module(path, exercise.api, name=exercise.module_name)
    except StudentCodeError as exc:
        raise TestsFailed(exc.message) from None
    sys.modules[exercise.module_name] = module  # so spawned processes and pickle find it
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    namespace.update({k: v for k, v in vars(module).items() if not k.startswith("__")})


_WORKSPACE: Workspace | None = None


def workspace() -> Workspace:
    """The kernel's workspace, made on first use (a new kernel starts afresh)."""
    global _WORKSPACE
    if _WORKSPACE is None:
        _WORKSPACE = Workspace(Path(tempfile.mkdtemp(prefix="course-notebook-")))
    return _WORKSPACE


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext grader.notebook``: register the magics the course's notebooks use."""

    def course_files(line: str, cell: str) -> None:
        workspace().write(split_files(cell))

    def exercise(line: str, cell: str) -> None:
        __tracebackhide__ = True
        args = line.split()
        run_answer(workspace(), args[0], cell, ipython.user_ns, execute="--no-run" not in args[1:])

    def course_test(line: str) -> float | None:
        __tracebackhide__ = True
        slug, name = line.split()
        return run_public_test(workspace(), slug, name)

    def hidden_tests(line: str, cell: str) -> float | None:
        __tracebackhide__ = True
        files = split_files(cell)
        if not files:
            print("The hidden tests are added when your notebook is graded.")
            return None
        workspace().write(files)
        return run_hidden_tests(workspace(), line.strip())

    ipython.register_magic_function(course_files, "cell", "course_files")
    ipython.register_magic_function(exercise, "cell", "exercise")
    ipython.register_magic_function(course_test, "line", "course_test")
    ipython.register_magic_function(hidden_tests, "cell", "hidden_tests")
