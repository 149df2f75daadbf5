"""course grade keeps the foundation contract: gradebook.csv and results/<student>.json."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import GOOD_FETCH_ALL, TinyCourse

from grader.cli import main
from grader.grading import SubmissionResult, gradebook_csv
from grader.manifest import load_course
from grader.results import ExerciseResult

pytestmark = pytest.mark.slow


def test_gradebook_csv_has_the_contract_header_and_one_row_per_student(tiny: TinyCourse) -> None:
    exercises = list(load_course(tiny.root / "course.yml", check_files=False).exercises)
    results = [
        SubmissionResult("bob", {"demo": ExerciseResult("demo", "failed", 1, 3, [])}),
        SubmissionResult("alice", {"demo": ExerciseResult("demo", "passed", 3, 3, [])}),
    ]
    assert gradebook_csv(results, exercises) == ("student,demo,total,max_total\nalice,3,3,3\nbob,1,1,3\n")


def _submission(root: Path, name: str, source: str | None) -> Path:
    sub = root / "subs" / name
    (sub / "exercises/demo").mkdir(parents=True)
    if source is not None:
        (sub / "exercises/demo/demo.py").write_text(source)
    return sub


def test_grade_writes_every_output_and_survives_broken_submissions(
    tiny: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    good = GOOD_FETCH_ALL
    tiny.fetch_all_exercise()
    subs = [
        _submission(tiny.root, "alice", good),
        _submission(tiny.root, "bob", "async def fetch_all(urls, latency):\n    return urls[::-1]\n"),
        _submission(tiny.root, "carol", None),
        _submission(tiny.root, "dave", "import os\nos._exit(0)\n"),
        _submission(tiny.root, "erin", "def fetch_all(:\n"),
    ]
    out = tiny.root / "out"
    code = main(["--course", str(tiny.root / "course.yml"), "grade", *map(str, subs), "--out", str(out)])
    assert code == 0
    rows = list(csv.reader((out / "gradebook.csv").read_text().splitlines()))
    assert rows == [
        ["student", "demo", "total", "max_total"],
        ["alice", "3", "3", "3"],
        ["bob", "1", "1", "3"],
        ["carol", "0", "0", "3"],
        ["dave", "0", "0", "3"],
        ["erin", "0", "0", "3"],
    ]
    alice = json.loads((out / "results/alice.json").read_text())
    assert set(alice) >= {"student", "total", "max_total", "exercises"}
    demo = alice["exercises"]["demo"]
    assert (demo["score"], demo["max_score"], demo["status"]) == (3, 3, "passed")
    assert [set(t) for t in demo["tests"]] == [{"name", "status", "score", "max_score", "message"}] * 2
    statuses = {
        name: json.loads((out / f"results/{name}.json").read_text())["exercises"]["demo"]["status"]
        for name in ("bob", "carol", "dave", "erin")
    }
    assert statuses == {"bob": "failed", "carol": "missing", "dave": "error", "erin": "error"}
    bob = json.loads((out / "results/bob.json").read_text())["exercises"]["demo"]["tests"]
    assert [(t["name"], t["status"], t["message"]) for t in bob] == [
        ("test_bodies", "passed", ""),
        ("test_many", "failed", "every url, in order"),
    ]
    dave = json.loads((out / "results/dave.json").read_text())["exercises"]["demo"]
    assert "before reporting" in dave["message"]


def test_grade_refuses_no_submissions(tiny: TinyCourse, capsys: pytest.CaptureFixture[str]) -> None:
    tiny.student("x = 1\n")
    tiny.write("solutions/demo/demo.py", "x = 1\n")
    tiny.public_test("def test_x():\n    pass\n")
    code = main(
        [
            "--course",
            str(tiny.root / "course.yml"),
            "grade",
            str(tiny.root / "nope"),
            "--out",
            str(tiny.root / "out"),
        ]
    )
    assert code == 2
    assert "not a directory" in capsys.readouterr().err
