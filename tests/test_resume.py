"""``course grade`` killed with SIGKILL halfway, then run again: nothing lost, nothing graded twice.

Also: a re-run skips what the journal says is graded, and grades again what changed (the
submission's content or the graders), or everything with ``--force``.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TinyCourse

from grader.grading import grade_batch
from grader.manifest import load_course

pytestmark = pytest.mark.slow

CONTENTS = {
    "good": "async def fetch_all(urls, latency):\n    return list(urls)\n",
    "half": "async def fetch_all(urls, latency):\n    return list(urls)[:1]\n",
    "bad": "async def fetch_all(urls, latency):\n    return []\n",
    "broken": "async def fetch_all(:\n",
}


def _course(tiny: TinyCourse) -> TinyCourse:
    tiny.student(CONTENTS["bad"])
    tiny.write("solutions/demo/demo.py", CONTENTS["good"])
    tiny.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        def test_bodies(student):
            import asyncio
            assert asyncio.run(student.fetch_all(["a"], 1)) == ["a"], "one body per url"
    """)
    tiny.hidden_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        @pytest.mark.points(2)
        def test_many(student):
            import asyncio
            assert asyncio.run(student.fetch_all(["a", "b"], 1)) == ["a", "b"], "every url, in order"
    """)
    return tiny


def _submissions(root: Path, n: int) -> dict[str, str]:
    kinds = list(CONTENTS)
    which = {f"s{i:03d}": kinds[i % len(kinds)] for i in range(n)}
    for student, kind in which.items():
        path = root / "subs" / student / "exercises/demo/demo.py"
        path.parent.mkdir(parents=True)
        path.write_text(CONTENTS[kind])
    return which


def _rows(journal: Path) -> int:
    try:
        with sqlite3.connect(journal) as db:
            return db.execute("SELECT count(*) FROM graded").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _grade_cmd(root: Path, out: Path) -> list[str]:
    course = str(root / "course.yml")
    return [
        sys.executable,
        "-m",
        "grader.cli",
        "--course",
        course,
        "grade",
        str(root / "subs"),
        "--out",
        str(out),
    ]


@pytest.mark.timeout(1200)
def test_kill_9_halfway_then_rerun_grades_every_submission_exactly_once(tiny: TinyCourse) -> None:
    root = _course(tiny).root
    which = _submissions(root, 200)
    out = root / "out"
    journal = out / "journal.sqlite"
    proc = subprocess.Popen([*_grade_cmd(root, out), "--jobs", "2", "--quiet"], start_new_session=True)
    deadline = time.monotonic() + 600
    while _rows(journal) < 100 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the batch finished before it could be killed halfway"
    os.kill(proc.pid, signal.SIGKILL)  # the parent only: its workers must not outlive it
    proc.wait()
    killed_at = _rows(journal)
    assert 100 <= killed_at < 200

    subprocess.run([*_grade_cmd(root, out), "--jobs", "2", "--quiet"], check=True, timeout=900)

    with sqlite3.connect(journal) as db:
        rows = db.execute("SELECT student, attempts FROM graded").fetchall()
    assert sorted(s for s, _ in rows) == sorted(which)
    assert {attempts for _, attempts in rows} == {1}, "a submission recorded before the kill was graded again"
    assert sorted(p.stem for p in (out / "results").glob("*.json")) == sorted(which)
    assert not list((out / "results").glob(".*.tmp"))
    # identical to an uninterrupted run of the same content
    reference_out = root / "reference"
    refs = {kind: root / "ref" / kind for kind in CONTENTS}
    for kind, sub in refs.items():
        (sub / "exercises/demo").mkdir(parents=True)
        (sub / "exercises/demo/demo.py").write_text(CONTENTS[kind])
    grade_batch(load_course(root / "course.yml"), list(refs.values()), reference_out, jobs=2, quiet=True)

    def graded(path: Path) -> dict:
        data = json.loads(path.read_text())
        data.pop("student")
        return data

    expected = {kind: graded(reference_out / "results" / f"{kind}.json") for kind in CONTENTS}
    mismatched = [s for s, kind in which.items() if graded(out / "results" / f"{s}.json") != expected[kind]]
    assert mismatched == []
    gradebook = (out / "gradebook.csv").read_text().splitlines()
    assert len(gradebook) == 201


def test_rerun_skips_graded_and_regrades_what_changed(tiny: TinyCourse) -> None:
    root = _course(tiny).root
    _submissions(root, 4)
    course = load_course(root / "course.yml")
    out = root / "out"
    first = grade_batch(course, [root / "subs"], out, jobs=2, quiet=True)
    assert (first.graded, first.skipped) == (4, 0)

    again = grade_batch(course, [root / "subs"], out, jobs=2, quiet=True)
    assert (again.graded, again.skipped) == (0, 4)
    assert {r.student: r.total for r in again.results} == {r.student: r.total for r in first.results}

    (root / "subs/s002/exercises/demo/demo.py").write_text(CONTENTS["good"])  # the student resubmitted
    changed = grade_batch(course, [root / "subs"], out, jobs=2, quiet=True)
    assert (changed.graded, changed.skipped) == (1, 3)
    assert {r.student: r.total for r in changed.results}["s002"] == 3

    tiny.hidden_test((root / "solutions/demo/hidden/test_demo_hidden.py").read_text() + "\n# reworded\n")
    regraded = grade_batch(load_course(root / "course.yml"), [root / "subs"], out, jobs=2, quiet=True)
    assert (regraded.graded, regraded.skipped) == (4, 0)

    forced = grade_batch(course, [root / "subs"], out, jobs=2, quiet=True, force=True)
    assert (forced.graded, forced.skipped) == (4, 0)
