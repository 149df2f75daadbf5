"""The unit of batch work: grade one submission, wherever an executor runs it.

A ``GradeTask`` carries everything it needs as plain data (the graders' files, the submission's
whitelisted files), so it runs the same in a local process pool or on a dask worker of another
machine that only has the kit installed. ``run_task`` writes nothing but its own temporary
directories and returns the result as a dict: running a task twice is harmless, and the parent
(``grader.grading``) is the only writer of results.

Example::

    >>> task = GradeTask.build(course, submission, course.exercises, sandbox=True)   # doctest: +SKIP
    >>> run_task(task)["exercises"]["fix_blocking"]["score"]                        # doctest: +SKIP
    10
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from grader import sandbox
from grader.intake import Submission
from grader.manifest import Course, Exercise, load_course
from grader.results import ExerciseResult, SubmissionResult
from grader.runner import RunPlan, run_together, test_files


def grader_files(course: Course, exercise: Exercise) -> dict[str, bytes]:
    """What one exercise's grading run needs, by path relative to the course root.

    The manifest, the public tests and everything in ``hidden/`` (graders may import helper
    modules beside them); never the reference solution or the variants.
    """
    files = {"course.yml": course.file.read_bytes()}
    hidden_dir = exercise.solution_dir / "hidden"
    paths = [*test_files(exercise, hidden=False)]
    if hidden_dir.is_dir():
        paths += sorted(p for p in hidden_dir.rglob("*.py") if p.is_file())
    for path in paths:
        files[path.relative_to(course.root).as_posix()] = path.read_bytes()
    return files


def kit_files() -> list[Path]:
    """The kit's own grading code: the ``grader`` package's modules and its pytest configuration."""
    package = Path(str(resources.files("grader")))
    return sorted([*package.glob("*.py"), package / "grading.ini"])


def kit_digest() -> str:
    """A hash of the grading plugin's own code: a change to it re-grades everything."""
    h = hashlib.sha256()
    for path in kit_files():
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def graders_digest(course: Course, exercises: list[Exercise]) -> str:
    """A hash of everything that decides a grade besides the submission."""
    h = hashlib.sha256(kit_digest().encode())
    for ex in exercises:
        for path, data in sorted(grader_files(course, ex).items()):
            h.update(path.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


@dataclass(frozen=True)
class GradeTask:
    """One submission to grade, as data that pickles (for process pools and dask)."""

    student: str
    files: dict[str, bytes]
    refused: dict[str, str]
    graders: dict[str, dict[str, bytes]]  # slug -> grader_files
    points: dict[str, int]  # slug -> course.yml points, for the exercises that never run
    paths: dict[str, str]  # slug -> the exercise's path
    sandbox: bool = True
    hide: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        course: Course,
        submission: Submission,
        exercises: list[Exercise],
        *,
        sandbox: bool = True,
        hide: tuple[str, ...] = (),
        graders: dict[str, dict[str, bytes]] | None = None,
    ) -> GradeTask:
        """The task for ``submission`` (``graders`` may be shared between tasks)."""
        graders = graders or {ex.slug: grader_files(course, ex) for ex in exercises}
        return cls(
            submission.student,
            dict(submission.files),
            dict(submission.refused),
            {ex.slug: graders[ex.slug] for ex in exercises},
            {ex.slug: ex.points for ex in exercises},
            {ex.slug: ex.path for ex in exercises},
            sandbox,
            hide,
        )


def _not_run(slug: str, status: str, points: int, message: str) -> ExerciseResult:
    return ExerciseResult(slug, status, 0, points, [], message)


def run_task(task: GradeTask) -> dict[str, Any]:
    """Grade every exercise of the task's submission; the result as ``SubmissionResult.to_full()``.

    The exercises with a file to grade run in one sandboxed pytest process (``run_together``),
    in one workspace holding their graders and the student's files.
    """
    isolation = sandbox.probe() if task.sandbox else sandbox.NONE
    results: dict[str, ExerciseResult] = {}
    runnable = []
    for slug, path in task.paths.items():
        if path in task.refused:
            results[slug] = _not_run(slug, "error", task.points[slug], task.refused[path])
        elif path not in task.files:
            results[slug] = _not_run(slug, "missing", task.points[slug], f"{path} was not in the submission")
        else:
            runnable.append(slug)
    if runnable:
        graders: dict[str, bytes] = {}
        for slug in runnable:
            graders.update(task.graders[slug])
        student = {task.paths[slug]: task.files[task.paths[slug]] for slug in runnable}
        hide = [Path(p) for p in task.hide]
        with sandbox.workspace(graders, student, isolation=isolation, hide=hide) as ws:
            course = load_course(ws.course_file, check_files=False)
            plans = [
                RunPlan(
                    course,
                    course.exercise(slug),
                    test_files(course.exercise(slug), hidden=True),
                    submission=ws.submission,
                    isolation=isolation if task.sandbox else None,
                    workspace=ws,
                )
                for slug in runnable
            ]
            for slug, result in zip(runnable, run_together(plans), strict=True):
                if result.status != "passed" and not result.tests and not result.message:
                    result.message = "no test reported a result"
                results[slug] = result
    ordered = {slug: results[slug] for slug in task.paths}
    return SubmissionResult(task.student, ordered, isolation=isolation.to_dict()).to_full()
