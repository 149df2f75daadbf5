"""Public tests for cancel_cleanly: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time, and `now()` reads the event
loop's clock exactly. Your code talks to test doubles: `FakeConnection` logs every send and close,
and its `close()` takes three awaits (so a cancellation can land inside it too); `FakeUpdates` yields
one update per second. The hidden tests cancel `stream_updates` at every one of its awaits.
"""

import asyncio

import pytest

from grader.testing import EventLog, now, run_cancelled_after

pytestmark = pytest.mark.exercise("cancel_cleanly")

DEADLINE = 60  # virtual seconds: a solution that hangs fails at once instead of hanging


class FakeConnection:
    """A connection double: `send` takes 0.5 s, `close` three steps of 0.1 s; all is logged."""

    def __init__(self, ready_on=None):
        self.log = EventLog()
        self.ready_on = ready_on  # the item whose send sets `ready` when it starts
        self.ready = asyncio.Event()
        self.closed_at_exit = None  # (close calls, closes finished) when stream_updates ended

    async def send(self, item):
        if item == self.ready_on:
            self.ready.set()
        try:
            await asyncio.sleep(0.5)
        except asyncio.CancelledError:
            self.log("send interrupted", item)
            raise
        self.log("sent", item)

    async def close(self):
        self.log("close started")
        for _ in range(3):  # flush, say goodbye, shut down
            await asyncio.sleep(0.1)
        self.log("close finished")


class FakeUpdates:
    """An async iterable of updates: one item per virtual second, then the end."""

    def __init__(self, items):
        self.items = list(items)

    def __aiter__(self):
        return self

    async def __anext__(self):
        await asyncio.sleep(1)  # waiting for the next update
        if not self.items:
            raise StopAsyncIteration
        return self.items.pop(0)


async def run_stream(student, conn, updates):
    """Run stream_updates and note how far closing had got at the moment it ended."""
    try:
        return await student.stream_updates(conn, updates)
    finally:
        conn.closed_at_exit = (conn.log.count("close started"), conn.log.count("close finished"))


@pytest.mark.points(1)
async def test_streams_every_update_then_closes_once(student):
    conn = FakeConnection()
    async with asyncio.timeout(DEADLINE):
        sent = await run_stream(student, conn, FakeUpdates(["a", "b", "c"]))
    await asyncio.sleep(1)  # let anything it left running finish before we look
    assert sent == 3, f"stream_updates sent 3 updates but returned {sent!r}; return how many"
    assert conn.closed_at_exit == (1, 1), (
        f"when stream_updates returned, conn.close() had been called {conn.closed_at_exit[0]} "
        f"time(s) and had finished {conn.closed_at_exit[1]} time(s): await it exactly once"
    )
    assert conn.log.events == [
        ("sent", "a"), ("sent", "b"), ("sent", "c"), ("close started",), ("close finished",)
    ], f"the connection saw {conn.log.events}: send every update in order, then close once"


@pytest.mark.points(1)
async def test_cancelled_while_sending_closes_and_ends_cancelled(student):
    conn = FakeConnection(ready_on="b")
    # Start stream_updates as a task, cancel it while it is sending "b", wait until it ends.
    task = await run_cancelled_after(
        lambda: run_stream(student, conn, FakeUpdates(["a", "b", "c"])), conn.ready
    )
    await asyncio.sleep(1)  # let anything it left running finish before we look
    assert conn.closed_at_exit == (1, 1), (
        f"stream_updates was cancelled while sending 'b'; when it ended, conn.close() had been "
        f"called {conn.closed_at_exit[0]} time(s) and had finished {conn.closed_at_exit[1]} "
        f"time(s). Cancellation raises CancelledError (a BaseException) at the await: close the "
        f"connection in `finally`, and await the close to its end"
    )
    assert task.cancelled(), (
        "stream_updates was cancelled while sending 'b' but did not end cancelled: after "
        "cleaning up, let the CancelledError propagate (do not catch it, or re-raise it)"
    )
    assert conn.log.events == [
        ("sent", "a"), ("send interrupted", "b"), ("close started",), ("close finished",)
    ], f"the connection saw {conn.log.events}; expected sent 'a', then the close, once"


async def slow_to_clean_up(log):
    """Works for an hour; when cancelled, takes 5 s to clean up, then ends cancelled."""
    try:
        await asyncio.sleep(3600)
    finally:
        log("cleanup started", now())
        await asyncio.sleep(5)
        log("cleanup finished", now())


@pytest.mark.points(1)
async def test_cancel_and_wait_waits_for_the_cleanup(student):
    log = EventLog()
    task = asyncio.create_task(slow_to_clean_up(log))
    await asyncio.sleep(1)  # let it start working
    try:
        try:
            async with asyncio.timeout(DEADLINE):
                result = await student.cancel_and_wait(task)
        except asyncio.CancelledError:
            pytest.fail(
                "cancel_and_wait raised CancelledError, but nobody cancelled the code that called "
                "it: that was the task's own cancellation (`await task` re-raises it), so return "
                "True instead of letting it escape"
            )
        assert task.done(), (
            f"cancel_and_wait returned {result!r} while the task was still cleaning up: "
            f"`task.cancel()` only asks; wait until the task has finished"
        )
        assert log.names() == ["cleanup started", "cleanup finished"], (
            f"the task logged {log.events}: its 5 s cleanup should run to its end (do not cut it "
            f"short with a timeout or a second cancel)"
        )
        assert result is True, f"the task ended cancelled, so return True, not {result!r}"
    finally:
        task.cancel()  # in case it is still running: the test must not leave it behind
        await asyncio.wait({task})
