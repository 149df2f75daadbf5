"""Public tests for graceful_shutdown: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time, and `now()` reads the event
loop's clock exactly. Your pool runs a handler double, `FakeHandler`, which takes a set time per
item and logs when each item started, finished, or was interrupted (cancelled). The hidden tests
also check the exact instants at which `stop()` cancels and returns, and cancel `stop()` itself.
"""

import asyncio

import pytest

from grader.testing import ConcurrencyProbe, EventLog, now

pytestmark = pytest.mark.exercise("graceful_shutdown")

DEADLINE = 600  # virtual seconds: a stop() that hangs fails at once instead of hanging


class FakeHandler:
    """Takes ``durations[item]`` seconds per item (``default`` otherwise); logs what happened."""

    def __init__(self, durations=None, default=1.0):
        self.durations = durations or {}
        self.default = default
        self.log = EventLog()
        self.probe = ConcurrencyProbe()

    async def __call__(self, item):
        self.log("started", item, now())
        async with self.probe:
            try:
                await asyncio.sleep(self.durations.get(item, self.default))
            except asyncio.CancelledError:
                self.log("interrupted", item, now())
                raise
            self.log("finished", item, now())

    def items(self, what):
        return [e[1] for e in self.log.events if e[0] == what]


@pytest.mark.points(1)
async def test_handles_every_item_with_at_most_two_at_once(student):
    handler = FakeHandler()
    pool = student.WorkerPool(handler, 2)
    pool.start()
    for item in range(5):
        pool.submit(item)
    await asyncio.sleep(10)  # plenty of time: 5 items of 1 s on 2 workers
    async with asyncio.timeout(DEADLINE):
        left = await pool.stop(5)
    assert sorted(handler.items("finished")) == [0, 1, 2, 3, 4], (
        f"the handler saw {handler.log.events}: every item should be handled exactly once"
    )
    assert handler.probe.peak == 2, (
        f"{handler.probe.peak} items were handled at once; with 2 workers it should be 2"
    )
    assert left == [], f"every item was handled, so stop() should return [], not {left!r}"


@pytest.mark.points(1)
async def test_stop_finishes_items_in_hand_and_returns_the_rest(student):
    handler = FakeHandler({0: 2.0, 1: 3.0})
    pool = student.WorkerPool(handler, 2)
    pool.start()
    for item in range(5):
        pool.submit(item)
    await asyncio.sleep(1)  # items 0 and 1 are in hand; 2, 3, 4 wait in the queue
    async with asyncio.timeout(DEADLINE):
        left = await pool.stop(10)
    assert handler.items("started") == [0, 1], (
        f"the handler saw {handler.log.events}: stop() was called at 1 s with items 0 and 1 in "
        f"hand, so no other item should start"
    )
    assert handler.items("finished") == [0, 1], (
        f"the handler saw {handler.log.events}: items 0 and 1 need less than the 10 s grace "
        f"period, so they should be allowed to finish"
    )
    assert isinstance(left, list), f"stop() returned {left!r}: it should return a list"
    assert sorted(left) == [2, 3, 4], (
        f"stop() returned {left!r}: it should return the items never handled, 2, 3 and 4 (in "
        f"any order)"
    )
    assert now() == 3.0, (
        f"stop() returned at {now()} s; the last item in hand finished at 3.0 s: return as soon "
        f"as the items in hand are done, do not wait out the whole grace period"
    )


@pytest.mark.points(1)
async def test_stop_cancels_an_item_that_outlasts_the_grace(student):
    handler = FakeHandler({0: 1000.0})
    pool = student.WorkerPool(handler, 2)
    pool.start()
    pool.submit(0)
    await asyncio.sleep(1)
    async with asyncio.timeout(DEADLINE):
        left = await pool.stop(5)
    assert handler.log.events == [("started", 0, 0.0), ("interrupted", 0, 6.0)], (
        f"the handler saw {handler.log.events}: item 0 needs 1000 s, so stop(5), called at "
        f"1 s, should cancel it at 6 s"
    )
    assert left == [0], (
        f"stop() returned {left!r}, but item 0 was cancelled before it was handled to its end: "
        f"return it, or it is lost without anyone knowing"
    )
