"""Public tests for drive_by_hand: run them with `make check`.

No event loop runs here: your `run`, `round_robin` (and the test itself) drive the coroutines by
calling `send(None)`. The test coroutines write every step they take into an `EventLog`, so the
tests can compare the order in which things ran, as a whole.
"""

from __future__ import annotations

import types

import pytest

from grader.testing import EventLog

pytestmark = [
    pytest.mark.exercise("drive_by_hand"),
    pytest.mark.timeout(10),
    # coro.throw(type, value) works everywhere but warns from Python 3.12 on: the same verdict on
    # every version (the README asks for the one-argument form).
    pytest.mark.filterwarnings("ignore:the \\(type, exc, tb\\) signature of throw:DeprecationWarning"),
]


@types.coroutine
def suspend():
    """Suspend the awaiting coroutine once, as `asyncio.sleep(0)` does: one bare `yield`."""
    yield


def steps(log: EventLog, name: str, suspensions: int, result=None):
    """A coroutine that logs (name, 0), suspends, logs (name, 1), ... and returns `result`."""

    async def job():
        for i in range(suspensions + 1):
            log(name, i)
            if i < suspensions:
                await suspend()
        return result

    return job()


@pytest.mark.points(0.5)
def test_run_returns_the_coroutine_value(student):
    log = EventLog()
    coro = steps(log, "job", 2, result=42)
    try:
        value = student.run(coro)
    finally:
        coro.close()  # in case run() left it unfinished
    ran = " ".join(f"{name}{i}" for name, i in log.events)
    assert ran == "job0 job1 job2", (
        f"run() ran the steps {ran}; the coroutine suspends twice, so it takes three send(None) "
        f"calls (job0 job1 job2): keep sending until it raises StopIteration."
    )
    assert value == 42, (
        f"run() returned {value!r}; the coroutine returned 42. The return value is carried by the "
        f"StopIteration that ends the coroutine: `except StopIteration as stop: return stop.value`."
    )


@pytest.mark.points(0.5)
def test_await_pause_suspends_once(student):
    log = EventLog()

    async def job():
        log("before")
        await student.Pause()
        log("after")
        return "done"

    coro = job()
    try:
        coro.send(None)  # runs up to the first suspension
    except StopIteration:
        pytest.fail("`await Pause()` did not suspend: the coroutine ran to its end on the first "
                    "send(None). `__await__` must yield once.", pytrace=False)
    try:
        assert log.events == [("before",)], f"after the first send(None) the log was {log.events}"
        try:
            coro.send(None)  # resumes after the await: the coroutine should now finish
        except StopIteration as stop:
            value = stop.value
        else:
            pytest.fail("`await Pause()` suspended more than once: the coroutine was still not "
                        "finished after the second send(None). `__await__` must yield exactly once.",
                        pytrace=False)
        assert log.events == [("before",), ("after",)], f"after two send(None) the log was {log.events}"
        assert value == "done", f"the coroutine returned {value!r}; expected 'done'"
    finally:
        coro.close()


@pytest.mark.points(1)
def test_round_robin_takes_turns(student):
    log = EventLog()
    coros = [steps(log, name, 2, result=name.upper()) for name in "abc"]
    try:
        results = student.round_robin(coros)
    finally:
        for coro in coros:
            coro.close()
    order = " ".join(f"{name}{i}" for name, i in log.events)
    assert order == "a0 b0 c0 a1 b1 c1 a2 b2 c2", (
        f"round_robin() ran the steps in the order {order}; expected a0 b0 c0 a1 b1 c1 a2 b2 c2: "
        f"send(None) to each coroutine once, in turn, round after round, not one after the other "
        f"to completion."
    )
    assert results == ["A", "B", "C"], f"round_robin() returned {results!r}; expected ['A', 'B', 'C']"
