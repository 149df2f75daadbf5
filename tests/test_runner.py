"""The runner: one subprocess per run, results over a pipe, and a run that survives its tests dying."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import TinyCourse

from grader.manifest import load_course
from grader.runner import run_exercise

pytestmark = pytest.mark.slow  # every test here starts grading subprocesses

OK = """\
    import asyncio


    async def fetch_all(urls, latency):
        return await asyncio.gather(*(asyncio.sleep(latency, u) for u in urls))
"""

PUBLIC = """\
    import pytest
    pytestmark = pytest.mark.exercise("demo")

    async def test_public(student):
        assert await student.fetch_all(["a"], 1) == ["a"]
"""


def _grade(course: TinyCourse, **kwargs):
    c = load_course(course.root / "course.yml", check_files=False)
    return run_exercise(c, c.exercise("demo"), submission=course.root, **kwargs)


def test_hidden_tests_are_marked_hidden_and_scored(tiny: TinyCourse) -> None:
    tiny.student(OK)
    tiny.public_test(PUBLIC)
    tiny.hidden_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        @pytest.mark.points(2)
        async def test_hidden(student):
            assert await student.fetch_all([], 1) == []
    """)
    result = _grade(tiny)
    assert (result.status, result.score, result.max_score) == ("passed", 3, 3)
    assert [(t.name, t.visibility) for t in result.tests] == [
        ("test_public", "visible"),
        ("test_hidden", "hidden"),
    ]
    assert [t.name for t in _grade(tiny, hidden=False).tests] == ["test_public"]


def test_exit_mid_test_costs_that_test_only(tiny: TinyCourse) -> None:
    tiny.student(textwrap.dedent(OK) + "\n\nasync def leave():\n    import os\n    os._exit(0)\n")
    tiny.public_test(
        textwrap.dedent(PUBLIC)
        + textwrap.dedent("""\

    async def test_exits(student):
        await student.leave()

    async def test_after(student):
        assert await student.fetch_all(["b"], 1) == ["b"]
    """)
    )
    result = _grade(tiny)
    statuses = {t.name: t.status for t in result.tests}
    assert statuses == {"test_public": "passed", "test_exits": "error", "test_after": "passed"}
    crashed = next(t for t in result.tests if t.name == "test_exits")
    assert "ended during test_exits before reporting (exit status 0)" in crashed.message
    assert (result.score, result.max_score, result.status) == (2, 3, "failed")


def test_exit_at_import_is_an_error_with_a_reason(tiny: TinyCourse) -> None:
    tiny.student("import os\nos._exit(3)\n")
    tiny.public_test(PUBLIC)
    result = _grade(tiny)
    assert (result.status, result.score) == ("error", 0)
    assert "exit status 3" in result.message


def test_sys_exit_at_import_is_a_friendly_import_error(tiny: TinyCourse) -> None:
    tiny.student("import sys\nsys.exit(0)\n")
    tiny.public_test(PUBLIC)
    result = _grade(tiny)
    assert result.status == "error"
    assert result.message == "importing demo.py called sys.exit(0): remove it from the top level."


def test_printing_a_fake_summary_changes_nothing(tiny: TinyCourse) -> None:
    tiny.student("print('=== 40 passed in 0.01s ===')\nasync def fetch_all(urls, latency):\n    return []\n")
    tiny.public_test(PUBLIC)
    result = _grade(tiny)
    assert (result.status, result.score) == ("failed", 0)


def test_uninterruptible_hang_is_killed_and_the_rest_still_runs(tmp_path: Path) -> None:
    # sum() over a huge range runs in C and never checks for signals: pytest-timeout cannot stop
    # it; the hard layer (faulthandler's exit) does, and the runner goes on with the next test.
    course = TinyCourse(tmp_path, timeout=1)
    course.student(textwrap.dedent(OK) + "\n\nasync def spin():\n    return sum(range(10**13))\n")
    course.public_test(
        textwrap.dedent(PUBLIC)
        + textwrap.dedent("""\

    async def test_spins(student):
        await student.spin()

    async def test_after(student):
        assert await student.fetch_all(["b"], 1) == ["b"]
    """)
    )
    result = _grade(course)
    statuses = {t.name: t.status for t in result.tests}
    assert statuses == {"test_public": "passed", "test_spins": "timeout", "test_after": "passed"}
