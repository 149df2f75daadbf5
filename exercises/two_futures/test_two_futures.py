"""Public tests for two_futures: run them with `make check`.

await_pool_job is given a real ThreadPoolExecutor. For call_from_thread, the test runs an event
loop in a thread of its own (as an application would) and calls your function from a second,
plain thread. The hidden tests also check errors, which pool and which loop your code uses, that
the event loop stays free while a job runs, and that a timed-out coroutine is cancelled.
"""

import asyncio
import concurrent.futures
import threading

import pytest

pytestmark = pytest.mark.exercise("two_futures")

DEADLINE = 60  # virtual seconds: a call that never returns fails at once instead of hanging
THREAD_WAIT = 5.0  # real seconds to wait for something that takes milliseconds


class LoopThread:
    """An event loop running forever in a thread of its own."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="app-loop", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        async def cancel_the_rest():
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=THREAD_WAIT)

        try:
            asyncio.run_coroutine_threadsafe(cancel_the_rest(), self.loop).result(THREAD_WAIT)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(THREAD_WAIT)
            if not self.thread.is_alive():
                self.loop.close()


def call_in_plain_thread(fn, *args, **kwargs):
    """Call fn in a new thread with no event loop; return ('returned' | 'raised' | 'hung', x)."""
    box = []

    def run():
        try:
            box.append(("returned", fn(*args, **kwargs)))
        except BaseException as exc:
            box.append(("raised", exc))

    thread = threading.Thread(target=run, name="plain-caller", daemon=True)
    thread.start()
    thread.join(THREAD_WAIT)
    return box[0] if box else ("hung", None)


@pytest.mark.points(1)
async def test_await_pool_job_returns_the_value(student):
    def shout(word, times):
        return word.upper() * times

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        async with asyncio.timeout(DEADLINE):
            result = await student.await_pool_job(pool, shout, "ho", 3)
    assert result == "HOHOHO", (
        f"await_pool_job(pool, shout, 'ho', 3) returned {result!r}; expected 'HOHOHO'"
    )


@pytest.mark.points(1)
def test_call_from_thread_returns_the_value(student):
    async def add(a, b):
        await asyncio.sleep(0)
        return a + b

    with LoopThread() as app:
        how, what = call_in_plain_thread(student.call_from_thread, app.loop, add, 2, 3,
                                         timeout=THREAD_WAIT)
    assert (how, what) == ("returned", 5), (
        f"call_from_thread(loop, add, 2, 3, timeout=5) ended with {how} {what!r}: it should "
        f"return 5, what the coroutine returned on the loop"
    )


@pytest.mark.points(1)
def test_call_from_thread_times_out(student):
    async def never_done():
        await asyncio.Event().wait()  # nobody ever sets it

    with LoopThread() as app:
        how, what = call_in_plain_thread(student.call_from_thread, app.loop, never_done,
                                         timeout=0.2)
    ok = how == "raised" and isinstance(what, TimeoutError)
    assert ok, (
        f"the coroutine never finishes, and call_from_thread(..., timeout=0.2) ended with {how} "
        f"{what!r}: it should raise TimeoutError after 0.2 s"
    )
