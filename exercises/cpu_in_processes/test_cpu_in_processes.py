"""Public tests for cpu_in_processes: run them with `make check`.

They call your `crunch_all` with `func=heavy_crunch`: the real `crunch` on small numbers (the
point is the structure, not the speed), in a worker process that then takes a second to exit,
as one holding a lot of memory would. So a pool shut down *on the loop thread* blocks the loop for
a second, every time, not only when the machine is busy. `heavy_crunch` is defined at the top
level of this module, which is what lets the pool pickle it (by name) into the workers.

The hidden tests pass a `func` of their own that reports which process ran it, and check that
the event loop keeps running while the processes work, that `workers` jobs run at the same time,
and that the results come back in order even when the jobs finish out of order. Everything runs
on the real clock, and nothing is timed.
"""

import asyncio
import multiprocessing
import multiprocessing.util
import time

import pytest

pytestmark = [pytest.mark.exercise("cpu_in_processes"), pytest.mark.real_time]

DEADLINE = 20  # seconds: a crunch_all that hangs fails at once instead of at the test's timeout
EXIT_DELAY = 1.0  # seconds a worker process that ran heavy_crunch takes to exit
WARM_UP = 0.5  # seconds a worker process's first heavy_crunch takes

_exit_delay_registered = False


def heavy_crunch(n: int) -> int:
    """`crunch(n)`, in a worker process only; it also makes that process take a second to exit."""
    global _exit_delay_registered
    if multiprocessing.parent_process() is None:
        raise RuntimeError(
            "crunch_all ran the work in the test's own process, not in a worker process: send each "
            "job to a ProcessPoolExecutor with `await loop.run_in_executor(pool, func, n)`"
        )
    if not _exit_delay_registered:
        # Runs when the worker process exits, after the pool's shutdown has told it to.
        multiprocessing.util.Finalize(None, time.sleep, args=(EXIT_DELAY,), exitpriority=0)
        _exit_delay_registered = True
        # A worker's first job is slow too, as a cold start is: a `.result()` waited for on the
        # loop thread blocks it for longer than the grader's threshold every time, not only
        # when the machine happens to be busy.
        time.sleep(WARM_UP)
    import cpu_in_processes  # your module (in a worker process, imported afresh by its name)

    return cpu_in_processes.crunch(n)


@pytest.mark.points(1)
async def test_returns_crunch_of_each_number_in_order(student):
    async with asyncio.timeout(DEADLINE):
        results = await student.crunch_all([20, 10, 30, 2], workers=1, func=heavy_crunch)
    # There are 8 primes below 20, 4 below 10, 10 below 30 and none below 2.
    assert results == [8, 4, 10, 0], (
        f"crunch_all([20, 10, 30, 2]) returned {results!r}; expected [8, 4, 10, 0], the result of "
        f"crunch for each number, in the order of the numbers"
    )


@pytest.mark.points(1)
async def test_an_exception_in_a_worker_reaches_the_caller(student):
    # crunch(-1) raises ValueError in the worker; the pool pickles it back to crunch_all.
    with pytest.raises(ValueError, match="non-negative"):
        async with asyncio.timeout(DEADLINE):
            await student.crunch_all([10, -1], workers=1, func=heavy_crunch)


@pytest.mark.points(1)
async def test_no_worker_process_is_left_running(student):
    async with asyncio.timeout(DEADLINE):
        await student.crunch_all([10, 20, 30], workers=2, func=heavy_crunch)
    left = multiprocessing.active_children()
    assert left == [], (
        f"{len(left)} worker process(es) were still running after crunch_all returned: shut the "
        f"pool down, and wait until its processes have exited, before returning"
    )
