"""The batch's memory: which submission was graded, from which content, by which graders.

Only the parent process writes here. For each finished submission it first writes
``results/<student>.json`` atomically, then commits one journal row; a run killed at any moment
leaves either both (the submission is done) or a row-less file that the next run simply grades
again. A re-run skips a student whose submission digest and graders digest are both unchanged,
unless ``--force``.

Example::

    >>> with Journal(Path("out/journal.sqlite")) as j:                     # doctest: +SKIP
    ...     j.is_done("alice", sub_digest, graders_digest)
    False
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from grader.results import SubmissionResult

SCHEMA = """
CREATE TABLE IF NOT EXISTS graded (
    student TEXT PRIMARY KEY,
    submission_digest TEXT NOT NULL,
    graders_digest TEXT NOT NULL,
    total REAL NOT NULL,
    max_total REAL NOT NULL,
    result TEXT NOT NULL,      -- SubmissionResult.to_full(), as JSON
    graded_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1
);
"""


class Journal:
    """A SQLite journal of graded submissions (one row per student, replaced on re-grade)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: every statement commits on its own, nothing waits in a buffer.
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def is_done(self, student: str, submission_digest: str, graders_digest: str) -> bool:
        """True when ``student`` was graded from this very content by these very graders."""
        row = self.db.execute(
            "SELECT 1 FROM graded WHERE student=? AND submission_digest=? AND graders_digest=?",
            (student, submission_digest, graders_digest),
        ).fetchone()
        return row is not None

    def record(self, result: SubmissionResult, graders_digest: str) -> None:
        """Commit ``result`` (call after its results file is written)."""
        self.db.execute(
            """INSERT INTO graded VALUES (?, ?, ?, ?, ?, ?, ?, 1)
               ON CONFLICT(student) DO UPDATE SET submission_digest=excluded.submission_digest,
                 graders_digest=excluded.graders_digest, total=excluded.total,
                 max_total=excluded.max_total, result=excluded.result, graded_at=excluded.graded_at,
                 attempts=graded.attempts + 1""",
            (
                result.student,
                result.digest,
                graders_digest,
                result.total,
                result.max_total,
                json.dumps(result.to_full()),
                time.time(),
            ),
        )

    def result(self, student: str) -> SubmissionResult | None:
        """The stored result of ``student``, if any."""
        row = self.db.execute("SELECT result FROM graded WHERE student=?", (student,)).fetchone()
        return SubmissionResult.from_full(json.loads(row[0])) if row else None

    def rows(self) -> list[dict[str, Any]]:
        """Every row, for inspection and tests."""
        cur = self.db.execute(
            "SELECT student, submission_digest, graders_digest, total, attempts FROM graded"
        )
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
