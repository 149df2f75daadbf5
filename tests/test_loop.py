"""The grading loop's virtual clock: exact, instant, and honest when real work is in flight."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time

import pytest
from conftest import run_on_grading_loop as _run

from grader.loop import install_wrap_future_hook


def test_ten_concurrent_sleeps_end_at_exactly_one_second() -> None:
    async def main() -> float:
        await asyncio.gather(*(asyncio.sleep(1) for _ in range(10)))
        return asyncio.get_running_loop().time()

    started = time.perf_counter()
    assert _run(main) == 1.0
    # Not a verdict on speed (that is bench/'s job): a sanity bound that virtual time is in use.
    assert time.perf_counter() - started < 5


def test_sequential_sleeps_add_up_exactly() -> None:
    async def main() -> float:
        for _ in range(10):
            await asyncio.sleep(1)
        return asyncio.get_running_loop().time()

    assert _run(main) == 10.0


def test_clock_starts_at_zero_and_does_not_creep_while_busy() -> None:
    async def main() -> list[float]:
        loop = asyncio.get_running_loop()
        seen = [loop.time()]
        for _ in range(100):
            await asyncio.sleep(0)
        seen.append(loop.time())
        return seen

    assert _run(main) == [0.0, 0.0]


def test_timeout_fires_instantly_on_a_deadlock() -> None:
    async def main() -> float:
        never = asyncio.get_running_loop().create_future()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(3600):
                await never
        return asyncio.get_running_loop().time()

    assert _run(main) == 3600.0


def test_float_deadlines_are_hit_exactly() -> None:
    async def main() -> float:
        await asyncio.gather(*(asyncio.sleep(0.1 * i) for i in range(1, 8)))
        return asyncio.get_running_loop().time()

    assert _run(main) == 0.7  # not 0.1 * 7 == 0.7000000000000001: the clock lands on nanoseconds


def test_accumulated_float_error_does_not_leak_into_the_clock() -> None:
    async def main() -> float:
        for _ in range(60):
            await asyncio.sleep(0.1)
        return asyncio.get_running_loop().time()

    assert _run(main) == 6.0


def test_time_waits_for_thread_work_instead_of_jumping_past_it() -> None:
    # A to_thread job takes real time: a 10 s timeout must not fire just because the loop is idle
    # while the thread works (jumping to the timer would raise TimeoutError here).
    async def main() -> tuple[str, float]:
        async with asyncio.timeout(10):
            await asyncio.to_thread(time.sleep, 0.2)
        return "done", asyncio.get_running_loop().time()

    result, clock = _run(main)
    assert result == "done"
    assert 0.0 < clock < 10.0  # advanced by the real time the thread took, not to the deadline


def test_a_wrapped_executor_future_holds_the_clock_like_run_in_executor() -> None:
    # asyncio.wrap_future(pool.submit(...)) bypasses run_in_executor: the loop learns of the
    # thread's work only through the hook, without which the 10 s timeout would fire at once.
    install_wrap_future_hook()

    async def main() -> str:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            async with asyncio.timeout(10):
                return await asyncio.wrap_future(pool.submit(lambda: time.sleep(0.2) or "done"))

    assert _run(main) == "done"


@pytest.mark.timeout(20)
def test_work_finished_by_another_thread_wakes_a_loop_waiting_in_real_time() -> None:
    # The thread's own callback is the last to drop the count of work in flight, possibly after
    # the loop went into a real-time wait for a far timer (found by the soak: a 60 s virtual
    # timeout slept 60 real seconds). Without the wake-up this test sleeps 60 s and times out.
    install_wrap_future_hook()

    async def main() -> float:
        loop = asyncio.get_running_loop()
        work: concurrent.futures.Future[None] = concurrent.futures.Future()
        loop.track(work)  # as the hook does: nothing on the loop side will ever see it finish
        threading.Timer(0.1, work.set_result, args=(None,)).start()
        await asyncio.sleep(60)
        return loop.time()

    assert _run(main) >= 60.0


def test_a_cancelled_thread_job_holds_the_clock_until_its_thread_ends() -> None:
    # Cancelling to_thread cancels the wait, not the thread: time must not jump past work that
    # is still running (a grader's later sleep would otherwise overtake the thread).
    install_wrap_future_hook()
    finished = threading.Event()

    def work(release: threading.Event) -> None:
        release.wait(5)
        finished.set()

    async def main() -> bool:
        release = threading.Event()
        job = asyncio.ensure_future(asyncio.to_thread(work, release))
        await asyncio.sleep(0)
        job.cancel()
        await asyncio.wait({job})
        threading.Timer(0.2, release.set).start()
        await asyncio.sleep(10)
        return finished.is_set()

    assert _run(main) is True


def test_real_clock_mode_uses_monotonic_time() -> None:
    async def main() -> float:
        return asyncio.get_running_loop().time()

    assert _run(main, virtual=False) > 0.0


def test_busy_polling_lets_time_move_on_instead_of_freezing_it() -> None:
    # `while not done: await asyncio.sleep(0)` never leaves the loop idle; without this the timer
    # that sets `done` would never fire and the program would spin forever.
    async def main() -> float:
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        loop.call_later(5, done.set_result, None)
        while not done.done():  # noqa: ASYNC110 - the busy poll is what is under test
            await asyncio.sleep(0)
        return loop.time()

    assert _run(main) == 5.0


def test_a_few_busy_turns_do_not_move_the_clock() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        loop.call_later(5, lambda: None)
        for _ in range(500):
            await asyncio.sleep(0)
        return loop.time()

    assert _run(main) == 0.0
