"""``course grade``: hidden and public tests over submissions, into a gradebook and per-student JSON.

A submission is a directory holding a copy of the student's repository: the student's file for an
exercise is at that exercise's ``path`` inside it. Each (submission, exercise) pair is graded by its
own pytest subprocess with a wall-clock limit (``grader.runner``), so a submission that exits,
crashes or hangs costs itself points and nothing else. The outputs are the foundation contract:

- ``OUT/gradebook.csv``: ``student,<slug>...,total,max_total``, one row per submission;
- ``OUT/results/<student>.json``: ``{"student", "total", "max_total", "exercises": {slug: {...}}}``.

Example::

    >>> grade_submissions(course, [Path("subs/alice"), Path("subs/bob")], Path("out"))  # doctest: +SKIP
    >>> Path("out/gradebook.csv").read_text().splitlines()[0]                           # doctest: +SKIP
    'student,fix_blocking,async_iterator,cancel_cleanly,total,max_total'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.files import write_atomic
from grader.manifest import Course, Exercise
from grader.results import RESULT_VERSION, ExerciseResult
from grader.runner import run_exercise


@dataclass
class SubmissionResult:
    """Every exercise's result for one student."""

    student: str
    exercises: dict[str, ExerciseResult]

    @property
    def total(self) -> float:
        return sum(r.score for r in self.exercises.values())

    @property
    def max_total(self) -> float:
        return sum(r.max_score for r in self.exercises.values())

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``results/<student>.json``."""
        return {
            "version": RESULT_VERSION,
            "student": self.student,
            "total": self.total,
            "max_total": self.max_total,
            "exercises": {slug: r.public_dict() for slug, r in self.exercises.items()},
        }


def grade_submission(course: Course, submission: Path, exercises: list[Exercise]) -> SubmissionResult:
    """Grade one submission directory, exercise by exercise."""
    results = {}
    for ex in exercises:
        res = run_exercise(course, ex, submission=submission, hidden=True)
        if res.status != "passed" and not res.tests and not res.message:
            res.message = "no test reported a result"
        results[ex.slug] = res
    return SubmissionResult(submission.name, results)


def _fmt(score: float) -> str:
    return f"{score:g}"


def gradebook_csv(results: list[SubmissionResult], exercises: list[Exercise]) -> str:
    """The gradebook as CSV text (pure, so it is golden-tested)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student", *(ex.slug for ex in exercises), "total", "max_total"])
    for res in sorted(results, key=lambda r: r.student):
        writer.writerow(
            [
                res.student,
                *(_fmt(res.exercises[ex.slug].score) for ex in exercises),
                _fmt(res.total),
                _fmt(res.max_total),
            ]
        )
    return buf.getvalue()


def grade_submissions(
    course: Course,
    submissions: list[Path],
    out: Path,
    *,
    only: list[str] | None = None,
    on_done: Callable[[SubmissionResult], None] | None = None,
) -> list[SubmissionResult]:
    """Grade every submission in turn, writing each result as soon as it is known."""
    exercises = course.select(only)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for sub in submissions:
        res = grade_submission(course, sub, exercises)
        write_atomic(out / "results" / f"{res.student}.json", json.dumps(res.to_dict(), indent=2) + "\n")
        results.append(res)
        if on_done is not None:
            on_done(res)
    write_atomic(out / "gradebook.csv", gradebook_csv(results, exercises))
    return results


def find_submissions(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The submission directories named, and a problem for each path that is not one."""
    subs, problems = [], []
    seen: set[str] = set()
    for path in paths:
        if not path.is_dir():
            problems.append(f"{path}: not a directory")
            continue
        if path.name in seen:
            problems.append(f"{path}: a second submission named {path.name!r}; skipped")
            continue
        seen.add(path.name)
        subs.append(path)
    return subs, problems
