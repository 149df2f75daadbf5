"""The real course, end to end: the student loop from starters to solutions, and teaching messages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from grader.cli import main
from grader.manifest import load_course
from grader.runner import run_exercise

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course(REPO / "course.yml")

pytestmark = pytest.mark.slow  # grading subprocesses over the real exercises


def _scratch_kit(tmp_path: Path) -> Path:
    kit = tmp_path / "kit"
    shutil.copytree(
        REPO, kit, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", ".course-state*")
    )
    return kit


def test_student_loop_goes_from_starters_to_all_done(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kit = _scratch_kit(tmp_path)
    total = len(COURSE.exercises)
    assert main(["--course", str(kit / "course.yml"), "check"]) == 1
    out = capsys.readouterr().out
    first = COURSE.exercises[0]
    assert f"0/{total} done" in out
    assert f"Next: {first.slug}, {first.title}" in out
    assert re.search(r"^  ✗ test_\w+ \((failed|timed out|error)\)$", out, re.M), out
    assert f"Hint 1/{len(first.hints)}: " in out

    for ex in COURSE.exercises:
        shutil.copy(ex.solution, kit / ex.path)
    assert main(["--course", str(kit / "course.yml"), "check"]) == 0
    out = capsys.readouterr().out
    assert f"{total}/{total} done" in out
    assert "Every exercise passes its public tests" in out


def _blocking_variants() -> list[tuple[Path, int]]:
    found = []
    for ex in COURSE.exercises:
        for path in ex.wrong_variants():
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                # time.sleep(0) gives up the GIL for a moment but blocks nothing: not a blocking call
                code = line.split("#", 1)[0]
                if "time.sleep(" in code and "time.sleep(0)" not in code:
                    found.append((path, number))
                    break
    return found


@pytest.mark.parametrize(
    ("variant", "line"), _blocking_variants(), ids=lambda v: v.name if isinstance(v, Path) else str(v)
)
def test_a_variant_that_blocks_the_loop_is_told_its_file_and_line(variant: Path, line: int) -> None:
    exercise = next(ex for ex in COURSE.exercises if variant in ex.wrong_variants())
    result = run_exercise(COURSE, exercise, student_file=variant)
    messages = [t.message for t in result.tests if t.status != "passed"]
    assert any("blocked the event loop" in m and f"{variant.name}:{line}" in m for m in messages), messages


def test_there_is_at_least_one_blocking_variant() -> None:
    assert _blocking_variants(), "fix_blocking must keep a wrong variant that blocks with time.sleep"
