"""The student loop: course check, course hint, course list, and the progress file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TinyCourse

from grader.check import render_check, render_hint, render_list
from grader.cli import main
from grader.manifest import load_course
from grader.progress import Progress
from grader.results import ExerciseResult, TestResult

FAILED = ExerciseResult(
    "demo",
    "failed",
    1,
    3,
    [
        TestResult("test_returns_bodies", "passed", 1, 1),
        TestResult(
            "test_concurrent",
            "failed",
            0,
            2,
            "your code blocked the event loop for 1.0 s at demo.py:5 (`time.sleep(latency)`)",
        ),
    ],
)

GOLDEN_FAILING = """\
  demo  ✗  Demo exercise  1/2 tests

0/1 done

Next: demo, Demo exercise
  edit exercises/demo/demo.py
  ✗ test_concurrent (failed)
    your code blocked the event loop for 1.0 s at demo.py:5 (`time.sleep(latency)`)

Hint 1/2: first hint, the concept
  (next hint: course hint demo)
"""


def test_failing_check_shows_progress_failure_and_first_hint(tiny: TinyCourse) -> None:
    course = load_course(tiny.root / "course.yml", check_files=False)
    progress = Progress(tiny.root / ".course-state.json")
    assert render_check(course, {"demo": FAILED}, progress) == GOLDEN_FAILING


def test_passing_check_congratulates(tiny: TinyCourse) -> None:
    course = load_course(tiny.root / "course.yml", check_files=False)
    progress = Progress(tiny.root / ".course-state.json", done={"demo": True})
    passed = ExerciseResult("demo", "passed", 3, 3, [TestResult("t", "passed", 3, 3)])
    text = render_check(course, {"demo": passed}, progress)
    assert "1/1 done" in text
    assert "Every exercise passes its public tests" in text


def test_a_broken_file_is_explained_by_its_one_line_message(tiny: TinyCourse) -> None:
    course = load_course(tiny.root / "course.yml", check_files=False)
    broken = ExerciseResult(
        "demo", "error", 0, 3, [], "demo.py has a syntax error at line 3: `x =` (invalid syntax)."
    )
    text = render_check(course, {"demo": broken}, Progress(tiny.root / "s.json"))
    assert "  demo  ✗  Demo exercise  error" in text
    assert "  ✗ demo.py has a syntax error at line 3" in text


def test_hints_go_one_level_deeper_each_time_and_stop_at_the_last(
    tiny: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    course_file = str(tiny.root / "course.yml")
    outputs = []
    for _ in range(3):
        assert main(["--course", course_file, "hint", "demo"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0].startswith("Hint 1/2 for demo:\n  first hint, the concept")
    assert outputs[1].startswith("Hint 2/2 for demo:\n  second hint, the API")
    assert "that was the last hint" in outputs[2]
    state = json.loads((tiny.root / ".course-state.json").read_text())
    assert state["hints_shown"] == {"demo": 2}


def test_unknown_slug_is_a_usage_error(tiny: TinyCourse, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--course", str(tiny.root / "course.yml"), "hint", "nope"]) == 2
    assert "no exercise 'nope' in course.yml (known: demo)" in capsys.readouterr().err


def test_malformed_manifest_names_file_line_and_field(
    tiny: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tiny.root / "course.yml"
    path.write_text(path.read_text().replace("points: 3", "points: three"))
    assert main(["--course", str(path), "list"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:14: exercises[0] (demo).points: must be a positive integer, got 'three'" in err


def test_list_shows_status_points_and_hints(tiny: TinyCourse) -> None:
    course = load_course(tiny.root / "course.yml", check_files=False)
    progress = Progress(tiny.root / "s.json", done={"demo": True}, hints_shown={"demo": 1})
    assert render_list(course, progress) == "Basics\n  demo  done       3 pts  Demo exercise, 1/2 hints\n"


def test_render_hint_names_the_level() -> None:
    course = load_course(Path(__file__).resolve().parents[1] / "course.yml", check_files=False)
    text = render_hint(course.exercises[0], 1)
    assert text.startswith(f"Hint 1/{len(course.exercises[0].hints)} for {course.exercises[0].slug}:")


def test_progress_survives_a_corrupt_state_file(tmp_path: Path) -> None:
    state = tmp_path / ".course-state.json"
    state.write_text("{not json")
    progress = Progress.load(state)
    assert progress.done == {}
    assert (tmp_path / ".course-state.json.broken").read_text() == "{not json"
    progress.done["x"] = True
    progress.save()
    assert Progress.load(state).done == {"x": True}


@pytest.mark.slow
def test_check_runs_public_tests_and_records_progress(
    tiny: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny.student("async def fetch_all(urls, latency):\n    return []\n")
    tiny.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_bodies(student):
            assert await student.fetch_all(["a"], 1) == ["a"], "fetch_all must return one body per url"
    """)
    course_file = str(tiny.root / "course.yml")
    assert main(["--course", course_file, "check"]) == 1
    out = capsys.readouterr().out
    assert "0/1 done" in out
    assert "fetch_all must return one body per url" in out
    assert "Hint 1/2: first hint, the concept" in out

    tiny.student("import asyncio\nasync def fetch_all(urls, latency):\n    return list(urls)\n")
    assert main(["--course", course_file, "check"]) == 0
    assert "1/1 done" in capsys.readouterr().out
    assert json.loads((tiny.root / ".course-state.json").read_text())["done"] == {"demo": True}
