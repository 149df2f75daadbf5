"""The result contract between a grading run (the pytest plugin) and whoever reads it.

The plugin writes one JSON object per line as the run goes, never parsing or trusting stdout or the
exit code (a submission can print "40 passed" or call ``os._exit(0)``):

    {"event": "start",  "version": 1}
    {"event": "begin",  "nodeid": "..."}                       # a test is about to run
    {"event": "test",   "nodeid": "...", "name": "...", "exercise": "fix_blocking",
     "status": "passed|failed|error|timeout", "points": 2, "message": "...",
     "student_error": null | "missing|syntax|import|api", "duration": 0.01}
    {"event": "end",    "exitstatus": 0}

A ``begin`` with no matching ``test`` means the process died in that test (the hard timeout, or a
submission that killed its own interpreter); the runner records it and runs the rest again.

Example::

    >>> import io, json
    >>> out = io.StringIO()
    >>> write_record(out, {"event": "end", "exitstatus": 0})
    >>> read_records(io.StringIO(out.getvalue()))
    [{'event': 'end', 'exitstatus': 0}]
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import IO, Any

RESULT_VERSION = 1
TEST_STATUSES = ("passed", "failed", "error", "timeout")
EXERCISE_STATUSES = ("passed", "failed", "missing", "error")


@dataclass
class TestResult:
    """One test's outcome, as it appears in ``results/<student>.json``."""

    __test__ = False  # not a pytest test class, whatever its name says

    name: str
    status: str
    score: float
    max_score: float
    message: str = ""
    nodeid: str = ""
    visibility: str = "visible"  # "hidden" for the hidden graders' tests

    def public_dict(self) -> dict[str, Any]:
        """The fields of the foundation contract, in their order."""
        return {
            "name": self.name,
            "status": self.status,
            "score": self.score,
            "max_score": self.max_score,
            "message": self.message,
        }


@dataclass
class ExerciseResult:
    """One exercise's outcome for one submission."""

    slug: str
    status: str
    score: float
    max_score: float
    tests: list[TestResult]
    message: str = ""

    def public_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "max_score": self.max_score,
            "status": self.status,
            "message": self.message,
            "tests": [t.public_dict() for t in self.tests],
        }

    def first_failure(self) -> TestResult | None:
        """The first test that did not pass, preferring ones the student can see."""
        failing = [t for t in self.tests if t.status != "passed"]
        return next((t for t in failing if t.visibility == "visible"), failing[0] if failing else None)

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class SubmissionResult:
    """Every exercise's result for one student, with what the grader noticed along the way."""

    student: str
    exercises: dict[str, ExerciseResult]
    flags: list[dict[str, Any]] = field(default_factory=list)  # grader.tamper findings, for review
    isolation: dict[str, bool] = field(default_factory=dict)  # grader.sandbox.Isolation in force
    digest: str = ""  # what was graded (grader.intake.Submission.digest)

    @property
    def total(self) -> float:
        return sum(r.score for r in self.exercises.values())

    @property
    def max_total(self) -> float:
        return sum(r.max_score for r in self.exercises.values())

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``results/<student>.json`` (the foundation contract, plus review fields)."""
        data: dict[str, Any] = {
            "version": RESULT_VERSION,
            "student": self.student,
            "total": self.total,
            "max_total": self.max_total,
            "exercises": {slug: r.public_dict() for slug, r in self.exercises.items()},
        }
        if self.flags:
            data["flags"] = self.flags
        if self.isolation:
            data["isolation"] = self.isolation
        return data

    def to_full(self) -> dict[str, Any]:
        """Every field (test visibility and node ids too): what the journal keeps."""
        return asdict(self)

    @classmethod
    def from_full(cls, data: dict[str, Any]) -> SubmissionResult:
        """Rebuild from ``to_full()``."""
        exercises = {
            slug: ExerciseResult(
                slug=ex["slug"],
                status=ex["status"],
                score=ex["score"],
                max_score=ex["max_score"],
                tests=[TestResult(**t) for t in ex["tests"]],
                message=ex.get("message", ""),
            )
            for slug, ex in data["exercises"].items()
        }
        return cls(
            data["student"],
            exercises,
            data.get("flags", []),
            data.get("isolation", {}),
            data.get("digest", ""),
        )


def to_json(obj: Any) -> Any:
    """Dataclasses to plain dicts, for callers that want every field."""
    return asdict(obj)


def write_record(stream: IO[str], record: dict[str, Any]) -> None:
    """Write one record as a line and flush it at once, so a crash loses nothing written before."""
    stream.write(json.dumps(record, sort_keys=True) + "\n")
    stream.flush()


def read_records(stream: IO[str]) -> list[dict[str, Any]]:
    """Read the records of a run; a torn last line (the process died mid-write) is dropped."""
    records = []
    for line in stream:
        line = line.strip()
        if not line:
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec, dict):
            records.append(rec)
    return records


def open_report(target: str) -> IO[str]:
    """Open the report destination: a path, or ``fd:N`` for a pipe inherited from the parent."""
    if target.startswith("fd:"):
        return os.fdopen(int(target[3:]), "w", encoding="utf-8", buffering=1)
    return open(target, "a", encoding="utf-8", buffering=1)
