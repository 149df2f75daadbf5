"""Hidden grader for two_futures.

await_pool_job runs with a real ThreadPoolExecutor whose threads have a name of their own; the job
double blocks on a threading.Event that only a task of the grader's, running on the event loop,
sets once the job has started. So "the loop stayed free while the job ran" is a fact the double
records (the release came, or it did not), not a timing; a loop blocked in ``.result()`` is also
named by the plugin's watchdog.

call_from_thread runs in sync tests: the grader runs an event loop of its own in a thread of its
own (``run_forever``) and calls the student's function from a second, plain thread, as the
contract says. The coroutine doubles record the loop they ran on, and whether they were cancelled.
Whether the cancellation came is checked on the loop after the call returned: the student's
cancel is queued on the loop before the grader's check, so a few turns of the loop settle it.
"""

import asyncio
import concurrent.futures
import threading

import pytest

# The public tests' loop thread, plain-thread caller and waits, imported rather than copied:
# graded runs collect the public module first, so it is importable.
from test_two_futures import DEADLINE, THREAD_WAIT, call_in_plain_thread
from test_two_futures import LoopThread as PublicLoopThread

pytestmark = pytest.mark.exercise("two_futures")


class JobFailed(Exception):
    """What a job (or a coroutine) of the grader's raises."""


# -- await_pool_job ------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_pool_job_raises_the_jobs_own_error(student):
    error = JobFailed("disk full")

    def job(name):
        raise error

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="given-pool") as pool:
        try:
            async with asyncio.timeout(DEADLINE):
                result = await student.await_pool_job(pool, job, "report.txt")
        except JobFailed as exc:
            same = exc is error
            assert same, (
                "the job raised JobFailed('disk full'), and await_pool_job raised a different "
                "JobFailed: let the job's own exception object come out (awaiting the wrapped "
                "future raises it as is)"
            )
        else:
            pytest.fail(
                f"the job raised JobFailed('disk full'), and await_pool_job returned "
                f"{result!r}: it should raise that very exception"
            )


@pytest.mark.points(1)
async def test_pool_job_runs_in_the_given_pool(student):
    def job(a, b):
        return a + b, threading.current_thread().name

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="given-pool") as pool:
        async with asyncio.timeout(DEADLINE):
            result = await student.await_pool_job(pool, job, 2, 3)
    ok = isinstance(result, tuple) and result[0] == 5
    assert ok, (
        f"await_pool_job(pool, job, 2, 3) returned {result!r}: it should return what job(2, 3) returned"
    )
    assert result[1].startswith("given-pool"), (
        f"the job ran in thread {result[1]!r}, not in the pool it was given: submit it to "
        f"`pool` (pool.submit, or loop.run_in_executor(pool, ...)), not to another executor"
    )


@pytest.mark.points(2)
async def test_pool_job_leaves_the_loop_free(student):
    loop = asyncio.get_running_loop()
    started, release = threading.Event(), threading.Event()

    def job(x):
        started.set()
        # Only the grader's task on the event loop sets `release`: if the loop is blocked while
        # this job runs, it never comes.
        return x * 2, release.wait(THREAD_WAIT)

    async def loop_side():
        if await loop.run_in_executor(None, started.wait, THREAD_WAIT):
            release.set()

    pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="given-pool")
    helper = asyncio.create_task(loop_side())
    try:
        async with asyncio.timeout(DEADLINE):
            result = await student.await_pool_job(pool, job, 21)
        ok = isinstance(result, tuple) and result[0] == 42
        assert ok, (
            f"await_pool_job(pool, job, 21) returned {result!r}: it should return what the job returned"
        )
        assert result[1], (
            "while the job ran in the pool, the event loop was blocked: nothing else on the loop "
            "could run until the job ended. Do not call .result() on the pool's future inside a "
            "coroutine; await it through asyncio (asyncio.wrap_future, or run_in_executor)"
        )
    finally:
        release.set()
        started.set()
        helper.cancel()
        await asyncio.wait({helper})
        pool.shutdown(wait=True)


# -- call_from_thread ----------------------------------------------------------------------------


class LoopThread(PublicLoopThread):
    """The public tests' loop in a thread of its own, plus a way to run the grader's coroutines on it."""

    def on_loop(self, coro):
        """Run a coroutine of the grader's on the loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(THREAD_WAIT)


def describe(how, what) -> str:
    if how == "hung":
        return f"had not returned after {THREAD_WAIT:.0f} s"
    if how == "raised":
        return f"raised {type(what).__name__}: {what}"
    return f"returned {what!r}"


@pytest.mark.points(1)
def test_call_from_thread_runs_on_the_given_loop(student):
    with LoopThread() as app:

        async def whoami(tag):
            await asyncio.sleep(0)
            return tag, asyncio.get_running_loop() is app.loop

        how, what = call_in_plain_thread(student.call_from_thread, app.loop, whoami, "x", timeout=THREAD_WAIT)
    ok = how == "returned" and isinstance(what, tuple) and what[0] == "x"
    assert ok, (
        f"call_from_thread(loop, coro_fn, 'x', timeout=5) {describe(how, what)}: it should return "
        f"what the coroutine returned"
    )
    assert what[1], (
        "the coroutine ran on an event loop of its own, not on the loop it was given (which runs "
        "in another thread, and owns that thread's resources): hand it to that loop with "
        "asyncio.run_coroutine_threadsafe(coro, loop); do not start a loop of your own"
    )


@pytest.mark.points(1)
def test_call_from_thread_raises_the_coroutines_own_error(student):
    error = JobFailed("no such user")

    async def failing():
        await asyncio.sleep(0)
        raise error

    with LoopThread() as app:
        how, what = call_in_plain_thread(student.call_from_thread, app.loop, failing, timeout=THREAD_WAIT)
    ok = how == "raised" and what is error
    assert ok, (
        f"the coroutine raised JobFailed('no such user'), and call_from_thread "
        f"{describe(how, what)}: it should raise that very exception (the concurrent future's "
        f"result() raises it)"
    )


@pytest.mark.points(1)
def test_timeout_cancels_the_coroutine(student):
    cancelled = threading.Event()

    async def never_done():
        try:
            await asyncio.Event().wait()  # nobody ever sets it
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async def settled():
        # The student's cancel is already queued on the loop, ahead of this check: a few turns
        # let it land. Cancelled means: the coroutine saw CancelledError, or (cancelled before
        # it ever started) its task is done all the same.
        for _ in range(20):
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            if cancelled.is_set() or not others:
                return True
            await asyncio.sleep(0)
        return False

    with LoopThread() as app:
        how, what = call_in_plain_thread(student.call_from_thread, app.loop, never_done, timeout=0.2)
        was_cancelled = app.on_loop(settled()) if how != "hung" else False
    ok = how == "raised" and isinstance(what, TimeoutError)
    assert ok, (
        f"the coroutine never finishes, and call_from_thread(..., timeout=0.2) "
        f"{describe(how, what)}: it should raise TimeoutError after 0.2 s "
        f"(the concurrent future's result(timeout) does)"
    )
    assert was_cancelled, (
        "call_from_thread raised TimeoutError, but the coroutine was still running on the loop: "
        "giving up waiting does not stop it. Cancel it (the future that run_coroutine_threadsafe "
        "returned has a cancel() method) before you raise"
    )
