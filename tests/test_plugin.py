"""The grading plugin, run for real in a pytest subprocess (pytester) against tiny courses.

Each test writes a student file and a grader test, runs pytest with the kit's grading.ini, and
asserts on the JSON records the plugin reported (the same contract the runner reads).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import TinyCourse

from grader.runner import grading_ini

pytestmark = pytest.mark.slow  # each test starts a pytest subprocess


def run_graded(pytester: pytest.Pytester, course: TinyCourse, *extra: str) -> dict[str, dict[str, Any]]:
    """Run the course's public tests; return the plugin's test records by test name."""
    report = course.root / "report.jsonl"
    result = pytester.runpytest_subprocess(
        "-c",
        str(grading_ini()),
        "--rootdir",
        str(course.root),
        "--course-manifest",
        str(course.root / "course.yml"),
        "--course-report",
        str(report),
        *extra,
        str(course.root / "exercises"),
    )
    records = [json.loads(line) for line in report.read_text().splitlines()]
    assert records[0] == {"event": "start", "version": 1}
    assert records[-1]["event"] == "end", result.stdout.str()
    return {r["name"]: r for r in records if r["event"] == "test"}


@pytest.fixture
def course(pytester: pytest.Pytester) -> TinyCourse:
    return TinyCourse(Path(pytester.path))


FETCH_OK = """\
    import asyncio


    async def fetch_all(urls, latency):
        return await asyncio.gather(*(asyncio.sleep(latency, u) for u in urls))
"""


def test_points_and_status_are_reported_per_test(pytester: pytest.Pytester, course: TinyCourse) -> None:
    course.student(FETCH_OK)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        @pytest.mark.points(2)
        async def test_ok(student):
            assert await student.fetch_all(["a"], 1) == ["a"]

        async def test_bad(student):
            assert await student.fetch_all(["a"], 1) == ["b"], "the bodies are wrong"
    """)
    tests = run_graded(pytester, course)
    assert (tests["test_ok"]["status"], tests["test_ok"]["points"]) == ("passed", 2)
    assert (tests["test_bad"]["status"], tests["test_bad"]["points"]) == ("failed", 1)
    # the author's message, without the test's own assertion expression
    assert tests["test_bad"]["message"] == "the bodies are wrong"


def test_graded_tests_run_on_exact_virtual_time(pytester: pytest.Pytester, course: TinyCourse) -> None:
    course.student(FETCH_OK)
    course.public_test("""\
        import pytest
        from grader.testing import now
        pytestmark = pytest.mark.exercise("demo")

        async def test_concurrent(student):
            await student.fetch_all(list("abcdefghij"), 1.0)
            assert now() == 1.0

        async def test_long_wait_is_instant(student):
            await student.fetch_all(["a"], 3600.0)
            assert now() == 3600.0
    """)
    tests = run_graded(pytester, course)
    assert {n: t["status"] for n, t in tests.items()} == {
        "test_concurrent": "passed",
        "test_long_wait_is_instant": "passed",
    }
    assert tests["test_long_wait_is_instant"]["duration"] < 5


def test_blocking_call_is_blamed_on_the_students_file_and_line(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    course.student("""\
        import time


        async def fetch_all(urls, latency):
            time.sleep(latency)
            return list(urls)
    """)
    course.public_test("""\
        import asyncio
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_fetch(student):
            assert await student.fetch_all(["a"], 1.0) == ["a"]
    """)
    message = run_graded(pytester, course)["test_fetch"]["message"]
    assert message.startswith(
        "your code blocked the event loop for 1.0 s at demo.py:5 (`time.sleep(latency)`)"
    )
    assert "await asyncio.sleep" in message


def test_cpu_loop_is_reported_as_cpu_bound_and_interrupted(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    course.student("""\
        async def fetch_all(urls, latency):
            total = 0
            while True:
                total += 1
    """)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_fetch(student):
            await student.fetch_all(["a"], 1.0)
    """)
    rec = run_graded(pytester, course)["test_fetch"]
    assert rec["status"] == "failed"
    assert "more than 2.0 s at demo.py:3 (`while True:`), a CPU-bound loop" in rec["message"]


def test_a_slow_grader_is_not_blamed_on_the_student(pytester: pytest.Pytester, course: TinyCourse) -> None:
    course.student(FETCH_OK)
    course.public_test("""\
        import time
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_fetch(student):
            time.sleep(0.6)  # the grader's own stall: no student frame on the stack
            assert await student.fetch_all(["a"], 1.0) == ["a"]
    """)
    assert run_graded(pytester, course)["test_fetch"]["status"] == "passed"


def test_never_awaited_coroutine_fails_with_its_line(pytester: pytest.Pytester, course: TinyCourse) -> None:
    course.student("""\
        import asyncio


        async def fetch_all(urls, latency):
            asyncio.sleep(latency)
            return list(urls)
    """)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_fetch(student):
            assert await student.fetch_all(["a"], 1.0) == ["a"]
    """)
    rec = run_graded(pytester, course)["test_fetch"]
    assert rec["status"] == "failed"
    assert rec["message"].startswith("`sleep()` was called at demo.py:5 but never awaited")


def test_never_awaited_coroutine_kept_in_a_local_explains_the_failure(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    course.student("""\
        import asyncio


        async def price():
            return 3


        async def fetch_all(urls, latency):
            quote = price()  # forgot the await: a coroutine, kept in a local
            return [quote["value"]]
    """)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_fetch(student):
            await student.fetch_all(["a"], 1)
    """)
    rec = run_graded(pytester, course)["test_fetch"]
    assert rec["status"] == "failed"
    assert rec["message"].startswith("`price()` was called at demo.py:9 but never awaited")
    own = "(the test itself then reported: TypeError: 'coroutine' object is not subscriptable)"
    assert own in rec["message"]


def test_unretrieved_task_exception_fails(pytester: pytest.Pytester, course: TinyCourse) -> None:
    course.student("""\
        import asyncio


        async def boom():
            raise ValueError("lost")


        async def fetch_all(urls, latency):
            task = asyncio.create_task(boom())
            await asyncio.sleep(latency)
            del task
            return list(urls)
    """)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_fetch(student):
            assert await student.fetch_all(["a"], 1.0) == ["a"]
    """)
    message = run_graded(pytester, course)["test_fetch"]["message"]
    assert "raised ValueError: lost and nobody retrieved it" in message


def test_task_left_running_fails_and_names_where_it_was_created(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    course.student("""\
        import asyncio

        _background = set()

        async def fetch_all(urls, latency):
            task = asyncio.create_task(asyncio.sleep(latency * 10))
            _background.add(task)
            return list(urls)
    """)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_fetch(student):
            assert await student.fetch_all(["a"], 1.0) == ["a"]

        async def test_next_test_is_unaffected(student):
            assert await student.fetch_all([], 1.0) == []
    """)
    tests = run_graded(pytester, course)
    assert tests["test_fetch"]["status"] == "failed"
    assert "created at demo.py:6 was still running when the test ended" in tests["test_fetch"]["message"]
    assert tests["test_next_test_is_unaffected"]["status"] == "failed"  # it leaks too, on its own


def test_a_leaked_task_running_a_test_double_does_not_name_the_double(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    course.student("""\
        import asyncio

        async def fetch_all(urls, latency):
            asyncio.get_running_loop().create_task(urls[0]())
            return []
    """)
    course.public_test("""\
        import asyncio
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def secret_double():
            await asyncio.sleep(10)

        async def test_fetch(student):
            await student.fetch_all([secret_double], 1)
    """)
    message = run_graded(pytester, course)["test_fetch"]["message"]
    assert "a coroutine the tests gave your code, created at demo.py:4" in message
    assert "secret_double" not in message
    assert "test_demo.py" not in message


def test_timeout_is_reported_in_words(pytester: pytest.Pytester, course: TinyCourse) -> None:
    course.student(FETCH_OK)
    course.public_test("""\
        import time
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        @pytest.mark.timeout(1)
        def test_hangs():
            while True:
                time.sleep(0.05)

        def test_after():
            pass
    """)
    tests = run_graded(pytester, course)
    assert tests["test_hangs"]["status"] == "timeout"
    assert tests["test_hangs"]["message"].startswith("timed out after 1.0 s")
    assert tests["test_after"]["status"] == "passed"


@pytest.mark.parametrize(
    ("source", "kind", "message"),
    [
        (None, "missing", "demo.py was not found: the exercise has no file to grade."),
        (
            "async def fetch_all(urls, latency)\n    pass\n",
            "syntax",
            "demo.py has a syntax error at line 1: `async def fetch_all(urls, latency)` (expected ':').",
        ),
        (
            "raise RuntimeError('oops')\n",
            "import",
            "importing demo.py raised RuntimeError: oops (line 1: `raise RuntimeError('oops')`).",
        ),
        (
            "async def fetch(urls, latency):\n    pass\n",
            "api",
            "demo.py must define `async def fetch_all(urls, latency)`; it has no `fetch_all`.",
        ),
        (
            "def fetch_all(urls, latency):\n    pass\n",
            "api",
            "demo.py must define `async def fetch_all(urls, latency)`; `fetch_all` is a plain `def`: "
            "declare it with `async def`.",
        ),
        (
            "async def fetch_all(urls):\n    pass\n",
            "api",
            "demo.py must define `async def fetch_all(urls, latency)`; `fetch_all(urls)` cannot be "
            "called as `fetch_all(urls, latency)`.",
        ),
    ],
    ids=["missing", "syntax", "import", "no-function", "not-async", "wrong-arity"],
)
def test_broken_student_files_give_one_friendly_line(
    pytester: pytest.Pytester, course: TinyCourse, source: str | None, kind: str, message: str
) -> None:
    if source is not None:
        course.student(source)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_fetch(student):
            await student.fetch_all([], 1)
    """)
    rec = run_graded(pytester, course)["test_fetch"]
    assert (rec["status"], rec["student_error"]) == ("error", kind)
    assert rec["message"].startswith(message)


def test_student_module_is_fresh_in_every_test(pytester: pytest.Pytester, course: TinyCourse) -> None:
    course.student("""\
        import asyncio

        calls = []
        lock = asyncio.Lock()  # bound to the first loop that uses it, were it shared


        async def fetch_all(urls, latency):
            async with lock:
                calls.append(urls)
            return list(calls)
    """)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        @pytest.mark.parametrize("n", range(3))
        async def test_fresh(student, n):
            assert await student.fetch_all(["a"], 1) == [["a"]]
    """)
    tests = run_graded(pytester, course)
    assert [t["status"] for t in tests.values()] == ["passed"] * 3


def test_course_file_option_grades_another_file(pytester: pytest.Pytester, course: TinyCourse) -> None:
    course.student("async def fetch_all(urls, latency):\n    return []\n")
    other = course.write("elsewhere/variant.py", FETCH_OK)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_fetch(student):
            assert await student.fetch_all(["a"], 1) == ["a"]
    """)
    assert run_graded(pytester, course)["test_fetch"]["status"] == "failed"
    tests = run_graded(pytester, course, "--course-file", f"demo={other}")
    assert tests["test_fetch"]["status"] == "passed"


def test_student_functions_pickle_into_spawned_processes(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    # A variant file's name differs from the module's: children must still import it by name.
    other = course.write(
        "elsewhere/variant.py",
        FETCH_OK + "\n\n    def pid_of(x):\n        import os\n        return x, os.getpid()\n",
    )
    course.student(FETCH_OK)
    course.public_test("""\
        import multiprocessing
        import os
        import sys
        from concurrent.futures import ProcessPoolExecutor

        import pytest
        pytestmark = pytest.mark.exercise("demo")

        def test_spawn(student):
            with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
                results = list(pool.map(student.pid_of, [1, 2]))
            assert [x for x, _ in results] == [1, 2]
            assert os.getpid() not in {pid for _, pid in results}

        def test_module_is_unregistered_after_the_test():
            assert "demo" not in sys.modules
            assert not any(p.endswith("importable0") for p in sys.path)
    """)
    tests = run_graded(pytester, course, "--course-file", f"demo={other}")
    assert tests["test_spawn"]["status"] == "passed", tests["test_spawn"]["message"]
    assert tests["test_module_is_unregistered_after_the_test"]["status"] == "passed"


def test_processes_start_by_spawn_and_fork_does_not_warn(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    course.student(FETCH_OK)
    course.public_test("""\
        import multiprocessing
        import os

        import pytest
        pytestmark = pytest.mark.exercise("demo")

        def test_default_is_spawn():
            assert multiprocessing.get_start_method() == "spawn"

        def test_explicit_fork_still_works(student):
            # the watchdog makes the process multi-threaded: Python 3.12+ would warn
            ctx = multiprocessing.get_context("fork")
            p = ctx.Process(target=os.getpid)
            p.start()
            p.join()
            assert p.exitcode == 0
    """)
    tests = run_graded(pytester, course)
    assert {t["status"] for t in tests.values()} == {"passed"}, tests


def test_bad_threshold_is_a_usage_error_naming_the_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = pytester.runpytest_subprocess("-c", str(grading_ini()), "-o", "course_blocking_threshold=-1")
    result.stderr.fnmatch_lines(["*course_blocking_threshold must be a positive number, got '-1'*"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_header_shows_the_active_settings(pytester: pytest.Pytester, course: TinyCourse) -> None:
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = pytester.runpytest_subprocess("-c", str(grading_ini()), "-v", "--rootdir", str(course.root))
    result.stdout.fnmatch_lines(["course grader: manifest=*course.yml, blocking threshold=0.25s*"])


def test_every_task_blocking_in_one_loop_step_is_stopped(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    # gather starts all twenty in the same loop step: stopping the first must not let the other
    # nineteen block in turn (ten seconds) before the loop gets control back.
    course.student("""\
        import time

        done = []


        async def one(i):
            time.sleep(0.5)
            done.append(i)


        async def fetch_all(urls, latency):
            return []
    """)
    course.public_test("""\
        import asyncio
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_many_blockers(student):
            await asyncio.gather(*(student.one(i) for i in range(20)), return_exceptions=True)
            assert len(student.done) < 10, f"{len(student.done)} of 20 blocking calls ran to the end"
    """)
    rec = run_graded(pytester, course)["test_many_blockers"]
    assert rec["message"].startswith("your code blocked the event loop for more than 2.0 s at demo.py:7")
    assert "the test itself then reported" not in rec["message"]


def test_a_failed_tests_coroutines_do_not_fail_the_next_test(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    course.student("""\
        import asyncio


        async def fetch(url, latency):
            await asyncio.sleep(latency)
            return url


        async def fetch_all(urls, latency):
            return [asyncio.run(fetch(u, latency)) for u in urls]
    """)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_a_fetch_all(student):
            await student.fetch_all(["x"], 1.0)

        async def test_b_fetch_only(student):
            assert await student.fetch("y", 1.0) == "y"
    """)
    tests = run_graded(pytester, course)
    assert tests["test_a_fetch_all"]["status"] == "failed"
    assert tests["test_b_fetch_only"]["status"] == "passed", tests["test_b_fetch_only"]["message"]


def test_thread_work_and_executor_shutdown_pass_cleanly(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    # On 3.13 the loop's teardown joins the default executor from a plain thread inside a 300 s
    # timeout: the virtual clock must wait for it rather than jump to the deadline.
    course.student("""\
        import asyncio
        import time


        async def fetch_all(urls, latency):
            await asyncio.to_thread(time.sleep, 0.3)
            return list(urls)
    """)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        @pytest.mark.parametrize("n", range(3))
        async def test_to_thread(student, n):
            assert await student.fetch_all(["a"], 0.3) == ["a"]
    """)
    tests = run_graded(pytester, course)
    assert [(t["status"], t["message"]) for t in tests.values()] == [("passed", "")] * 3


def test_an_async_generator_left_mid_iteration_is_not_a_leaked_task(
    pytester: pytest.Pytester, course: TinyCourse
) -> None:
    # Breaking out of `async for` drops the generator; the loop closes it in a task of its own.
    course.student("""\
        import asyncio


        async def numbers():
            for i in range(5):
                await asyncio.sleep(1)
                yield i


        async def fetch_all(urls, latency):
            async for i in numbers():
                if i == 1:
                    break
            return list(urls)
    """)
    course.public_test("""\
        import pytest
        pytestmark = pytest.mark.exercise("demo")

        async def test_breaks_early(student):
            assert await student.fetch_all(["a"], 1) == ["a"]
    """)
    rec = run_graded(pytester, course)["test_breaks_early"]
    assert (rec["status"], rec["message"]) == ("passed", "")
