"""course verify: judging is pure and strict; the whole loop runs against a tiny course."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TinyCourse

from grader.cli import main
from grader.manifest import load_course
from grader.results import ExerciseResult, TestResult
from grader.verify import Target, caught_by, judge, structure_problems


def _exercise(tiny: TinyCourse):
    return load_course(tiny.root / "course.yml", check_files=False).exercise("demo")


def _result(*statuses: str, points: int = 1, public: str | None = None) -> ExerciseResult:
    """Hidden tests with ``statuses``; a public test too when ``public`` gives its status."""
    tests = [
        TestResult(
            f"test_{i}",
            s,
            points if s == "passed" else 0,
            points,
            nodeid=f"solutions/demo/hidden/t.py::test_{i}",
            visibility="hidden",
        )
        for i, s in enumerate(statuses)
    ]
    if public is not None:
        tests.append(
            TestResult("test_public", public, points * (public == "passed"), points, visibility="visible")
        )
    score = sum(t.score for t in tests)
    status = "passed" if all(s == "passed" for s in statuses) else "failed"
    return ExerciseResult("demo", status, score, len(tests) * points, tests)


def test_solution_must_pass_with_the_manifests_points(tiny: TinyCourse) -> None:
    target = Target(_exercise(tiny), "solution", Path("s.py"))
    assert judge(target, [_result("passed", "passed", "passed")]) == []
    assert judge(target, [_result("passed", "passed")]) == [
        "the tests' points add up to 2, course.yml says 3"
    ]
    assert judge(target, [_result("passed", "failed", "passed")])[0].startswith(
        "must pass with full points, got 2/3"
    )


def test_wrong_variant_must_be_rejected_by_the_tests_it_names(tiny: TinyCourse) -> None:
    target = Target(_exercise(tiny), "wrong", Path("w.py"), caught_by=("test_1",))
    assert judge(target, [_result("passed", "failed", "passed")]) == []
    assert judge(target, [_result("failed", "passed", "passed")]) == [
        "should have been caught by test_1, which passed"
    ]
    assert judge(target, [_result("passed", "passed", "passed")]) == ["a known-wrong variant got full points"]


def test_starter_must_fail_a_hidden_test_and_a_public_one(tiny: TinyCourse) -> None:
    target = Target(_exercise(tiny), "starter", Path("x.py"))
    assert judge(target, [_result("failed", "passed", public="failed")]) == []
    assert judge(target, [_result("passed", "passed", public="failed")]) == [
        "the starter must fail at least one hidden test, it failed none"
    ]
    # make check would show the exercise done before the student wrote a line
    assert judge(target, [_result("failed", "passed", public="passed")]) == [
        "the starter must fail at least one public test, it failed none"
    ]


def test_differing_verdicts_between_repeats_are_flaky(tiny: TinyCourse) -> None:
    target = Target(_exercise(tiny), "correct", Path("c.py"))
    problems = judge(target, [_result("passed", "passed", "passed"), _result("passed", "failed", "passed")])
    assert problems[0] == "flaky: verdicts differ between runs for test_1"


def test_caught_by_reads_the_variants_docstring(tmp_path: Path) -> None:
    path = tmp_path / "v.py"
    path.write_text('"""Forgets to await.\n\nCaught by: test_a, test_b\n"""\nx = 1\n')
    assert caught_by(path) == ("test_a", "test_b")


@pytest.mark.slow
def test_verify_runs_every_target_and_fails_on_a_miss(
    tiny: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny.student("async def fetch_all(urls, latency):\n    return []\n")
    good = "import asyncio\nasync def fetch_all(urls, latency):\n    return list(urls)\n"
    tiny.write("solutions/demo/demo.py", good)
    for name in ("a", "b", "c"):
        tiny.write(f"solutions/demo/correct/{name}.py", good)
    for name in ("w1", "w2", "w3", "w4"):
        tiny.write(
            f"solutions/demo/wrong/{name}.py",
            f'"""Wrong {name}.\n\nCaught by: test_bodies\n"""\nasync def fetch_all(u, l):\n    return []\n',
        )
    # a "wrong" variant that is in fact right: verify must flag the grader as too lenient
    tiny.write("solutions/demo/wrong/w5.py", f'"""Not wrong.\n\nCaught by: test_bodies\n"""\n{good}')
    tiny.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        @pytest.mark.points(3)
        async def test_bodies(student):
            assert await student.fetch_all(["a"], 1) == ["a"]
    """)
    tiny.hidden_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        @pytest.mark.points(0)
        async def test_empty(student):
            assert await student.fetch_all([], 1) == []
    """)
    assert main(["--course", str(tiny.root / "course.yml"), "verify", "--repeat", "2"]) == 1
    out = capsys.readouterr().out
    assert "✗ wrong/w5.py" in out
    assert "! a known-wrong variant got full points" in out
    assert "✓ wrong/w1.py" in out
    assert "✓ correct/a.py" in out
    # the starter passes the only hidden test (it returns [] for []): flagged too
    assert "the starter must fail at least one hidden test" in out
    assert out.strip().splitlines()[-2:] == [
        "verify: 10 targets x 2 run(s): 2 not as expected, 0 checklist problem(s)",
        "verify: 8 passed, 2 failed",
    ]


def test_an_exercise_missing_files_is_a_checklist_problem_not_a_crash(
    tiny: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    # nothing written but course.yml: no starter, no solution, no tests
    assert main(["--course", str(tiny.root / "course.yml"), "verify"]) == 1
    out = capsys.readouterr().out
    assert "! demo: no starter at exercises/demo/demo.py" in out
    assert "! demo: no reference solution at solutions/demo/demo.py" in out
    assert "verify: 0 passed, 6 failed" in out


def test_a_test_name_shared_by_public_and_hidden_tests_is_a_checklist_problem(tiny: TinyCourse) -> None:
    # 'Caught by:' names tests by function name: a failure of either test would satisfy it.
    tiny.public_test("def test_orders(student):\n    pass\n\ndef test_public_only(student):\n    pass\n")
    tiny.hidden_test("def test_orders(student):\n    pass\n")
    problems = structure_problems(_exercise(tiny))
    assert [p for p in problems if "public and of a hidden" in p] == [
        "test_orders is the name of a public and of a hidden test: 'Caught by:' could not tell them "
        "apart; rename one"
    ]
