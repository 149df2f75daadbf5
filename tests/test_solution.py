"""course solution: the reference only once the student's own passes, or after a recorded give-up."""

from __future__ import annotations

import json

import pytest
from conftest import GOOD_FETCH_ALL, TinyCourse

from grader.check import render_list
from grader.cli import main
from grader.manifest import Exercise, load_course
from grader.progress import Progress
from grader.solution import NO_SOLUTION, decide, request_solution


@pytest.mark.parametrize(
    ("has_solution", "passed", "gave_up", "give_up", "expected"),
    [
        (False, True, False, True, "absent"),
        (True, False, False, False, "refuse"),
        (True, True, False, False, "show"),
        (True, False, True, False, "show"),
        (True, False, False, True, "give_up"),
        (True, True, False, True, "show"),  # passing is not giving up: nothing is recorded
    ],
)
def test_decide(has_solution: bool, passed: bool, gave_up: bool, give_up: bool, expected: str) -> None:
    assert decide(has_solution=has_solution, passed=passed, gave_up=gave_up, give_up=give_up) == expected


def _state(tiny: TinyCourse) -> dict[str, object]:
    return json.loads((tiny.root / ".course-state.json").read_text())


# Slow: runs the tiny exercise's public tests twice in pytest subprocesses (seconds each when loaded).
@pytest.mark.slow
def test_refused_before_passing_and_shown_once_the_students_own_passes(
    tiny: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny.fetch_all_exercise()
    course_file = str(tiny.root / "course.yml")
    assert main(["--course", course_file, "solution", "demo"]) == 1
    out = capsys.readouterr().out
    assert "demo does not pass its public tests yet" in out
    assert "course solution demo --give-up" in out
    assert "return list(urls)" not in out

    # Fixed but not checked since: the public tests are run, not the stale progress file trusted.
    tiny.student(GOOD_FETCH_ALL)
    assert main(["--course", course_file, "solution", "demo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Reference solution for demo (solutions/demo/demo.py):\n\n")
    assert "return list(urls)" in out
    assert _state(tiny)["done"] == {"demo": True}
    assert _state(tiny)["gave_up"] == {}


def test_shown_when_progress_says_it_passes(tiny: TinyCourse, capsys: pytest.CaptureFixture[str]) -> None:
    tiny.fetch_all_exercise()
    Progress(tiny.root / ".course-state.json", done={"demo": True}).save()
    assert main(["--course", str(tiny.root / "course.yml"), "solution", "demo"]) == 0
    assert "return list(urls)" in capsys.readouterr().out


def test_give_up_shows_it_and_is_recorded(tiny: TinyCourse, capsys: pytest.CaptureFixture[str]) -> None:
    tiny.fetch_all_exercise()
    course_file = str(tiny.root / "course.yml")
    assert main(["--course", course_file, "solution", "demo", "--give-up"]) == 0
    assert "return list(urls)" in capsys.readouterr().out
    assert _state(tiny)["gave_up"] == {"demo": True}
    # Once given up, it stays shown without the flag (and without running the tests).
    assert main(["--course", course_file, "solution", "demo"]) == 0
    assert "return list(urls)" in capsys.readouterr().out
    course = load_course(tiny.root / "course.yml", check_files=False)
    listing = render_list(course, Progress.load(tiny.root / ".course-state.json"))
    assert "Demo exercise, gave up (solution shown)" in listing


def test_a_copy_without_solutions_says_so(tiny: TinyCourse, capsys: pytest.CaptureFixture[str]) -> None:
    tiny.fetch_all_exercise()
    (tiny.root / "solutions/demo/demo.py").unlink()
    assert main(["--course", str(tiny.root / "course.yml"), "solution", "demo", "--give-up"]) == 1
    assert f"{NO_SOLUTION} (demo)" in capsys.readouterr().err
    # Nothing was shown, so nothing was given up.
    assert not (tiny.root / ".course-state.json").exists()


def test_progress_files_written_before_give_ups_still_load(tiny: TinyCourse) -> None:
    state = tiny.root / ".course-state.json"
    state.write_text('{"version": 1, "done": {"demo": true}, "hints_shown": {"demo": 1}}')
    progress = Progress.load(state)
    assert (progress.done, progress.hints_shown, progress.gave_up) == ({"demo": True}, {"demo": 1}, {})


def test_refused_while_the_public_tests_fail_and_nothing_recorded(tiny: TinyCourse) -> None:
    tiny.fetch_all_exercise()
    course = load_course(tiny.root / "course.yml", check_files=False)
    runs: list[str] = []

    def fails(course: object, exercise: Exercise) -> bool:
        runs.append(exercise.slug)
        return False

    outcome = request_solution(course, course.exercise("demo"), give_up=False, passes_now=fails)
    assert (outcome.decision, outcome.shown) == ("refuse", False)
    assert "return list(urls)" not in outcome.text
    assert runs == ["demo"], "the public tests decide, not a stale progress file"
    assert not (tiny.root / ".course-state.json").exists()
