"""Hidden grader for graceful_shutdown.

``WorkerPool`` is graded against a handler double written here: ``FakeHandler`` takes a set time per
item, in two steps (so a cancellation can land in the middle of an item), logs when each item
started, finished or was interrupted, and when cancelled takes a short "rollback" before it lets
the cancellation go on. Every check is about what the double saw: each item started at most once,
no item started after ``stop`` was called, every item either handled to its end or returned by
``stop`` (never both, never neither), and on the virtual clock the instants at which items were
interrupted and ``stop`` returned. ``stop`` is also cancelled at each of its awaits in turn.
Every pool the grader starts is stopped before the test ends.
"""

import asyncio

import pytest

from grader.testing import ConcurrencyProbe, EventLog, cancel_at_each_await, now

pytestmark = pytest.mark.exercise("graceful_shutdown")

DEADLINE = 600  # virtual seconds: a stop() that hangs fails at once, long after every double
WORKERS = 2
# Not round numbers, so that they never tie with a poll period or a timeout a wrong solution uses.
GRACE = 4 + 1 / 7
ROLLBACK = 0.25  # what a handler takes to undo its work when cancelled
LONG = 1000.0  # an item that would outlast any grace period


class FakeHandler:
    """The handler double: ``durations[item]`` seconds per item (``default`` otherwise), in two
    equal steps; logs ("started"|"finished"|"interrupted", item, time)."""

    def __init__(self, durations=None, default=2.0) -> None:
        self.durations = durations or {}
        self.default = default
        self.log = EventLog()
        self.probe = ConcurrencyProbe()
        self.started = asyncio.Event()  # set when the first item starts

    async def __call__(self, item) -> None:
        self.log("started", item, now())
        self.started.set()
        async with self.probe:
            step = self.durations.get(item, self.default) / 2
            try:
                await asyncio.sleep(step)
                await asyncio.sleep(step)
            except asyncio.CancelledError:
                self.log("interrupted", item, now())
                await asyncio.sleep(ROLLBACK)
                raise
            self.log("finished", item, now())

    def items(self, what: str) -> list:
        return [e[1] for e in self.log.events if e[0] == what]

    def time_of(self, what: str, item) -> float:
        return next(e[2] for e in self.log.events if e[0] == what and e[1] == item)

    def story(self) -> str:
        return ", ".join(f"{e[0]} {e[1]!r} at {e[2]:g} s" for e in self.log.events) or "nothing"


def accounting_problem(handler: FakeHandler, submitted: list, returned) -> str | None:
    """What went wrong with the items, in the student's terms, or None."""
    if not isinstance(returned, list):
        return f"stop() returned {returned!r}; it should return a list of the unhandled items"
    started = handler.items("started")
    twice = sorted({i for i in started if started.count(i) > 1})
    if twice:
        return f"item(s) {twice} were handled more than once: each item at most once"
    finished = handler.items("finished")
    both = sorted(set(finished) & set(returned))
    if both:
        return (f"stop() returned item(s) {both}, which had been handled to their end: return "
                f"only items that were not")
    if len(returned) != len(set(returned)):
        return f"stop() returned {returned}: an item appears more than once"
    lost = sorted(set(submitted) - set(finished) - set(returned))
    if lost:
        return (f"item(s) {lost} were neither handled to their end nor returned by stop(): they "
                f"were lost silently. Return the items still queued and those whose handler was "
                f"cancelled")
    unknown = sorted(set(returned) - set(submitted), key=repr)
    if unknown:
        return f"stop() returned {unknown}, which were never submitted"
    return None


def started_after(handler: FakeHandler, stopped_at: float) -> list:
    return [e[1] for e in handler.log.events if e[0] == "started" and e[2] >= stopped_at]


async def stop_pool(pool, grace: float) -> tuple:
    """Await pool.stop(grace) on our deadline; return (what it returned, when)."""
    async with asyncio.timeout(DEADLINE):
        returned = await pool.stop(grace)
    return returned, now()


def running_since(before: set) -> list[str]:
    """The names of the tasks started since ``before`` that are still running (not ours)."""
    return [t.get_coro().__qualname__ for t in asyncio.all_tasks() - before
            if not t.done() and t is not asyncio.current_task()]


def new_pool(student, handler, items=()):
    pool = student.WorkerPool(handler, WORKERS)
    pool.start()
    for item in items:
        pool.submit(item)
    return pool


@pytest.mark.points(1)
async def test_stop_returns_the_moment_the_last_item_in_hand_finishes(student):
    handler = FakeHandler({0: 3.0, 1: 5.0})
    items = list(range(6))
    pool = new_pool(student, handler, items)
    await asyncio.sleep(1)  # items 0 and 1 are in hand
    returned, returned_at = await stop_pool(pool, GRACE)
    problem = accounting_problem(handler, items, returned)
    assert problem is None, f"{problem} (the handler saw: {handler.story()})"
    late = started_after(handler, 1.0)
    assert not late, (
        f"stop() was called at 1 s with items 0 and 1 in hand, and item(s) {late} started after "
        f"that (the handler saw: {handler.story()}): once stopping, a worker takes no new item"
    )
    assert sorted(handler.items("finished")) == [0, 1], (
        f"items 0 and 1 were in hand when stop() was called and need less than the grace period, "
        f"so both should finish (the handler saw: {handler.story()})"
    )
    last = handler.time_of("finished", 1)
    assert returned_at == pytest.approx(last, abs=1e-6), (
        f"the last item in hand finished at {last:g} s but stop() returned at {returned_at:g} s: "
        f"return as soon as every worker is done (idle workers, waiting for an item that will "
        f"never come, must be stopped at once, not after the grace period)"
    )


@pytest.mark.points(1)
async def test_grace_expiry_cancels_the_items_in_hand_at_exactly_the_deadline(student):
    handler = FakeHandler({0: 3.0, 1: LONG})
    items = list(range(6))
    pool = new_pool(student, handler, items)
    await asyncio.sleep(1)
    stopped_at = now()
    returned, returned_at = await stop_pool(pool, GRACE)
    problem = accounting_problem(handler, items, returned)
    assert problem is None, f"{problem} (the handler saw: {handler.story()})"
    late = started_after(handler, stopped_at)
    assert not late, (
        f"item(s) {late} started after stop() was called (the handler saw: {handler.story()}): "
        f"once stopping, a worker that finishes its item must not take another one"
    )
    assert handler.items("interrupted") == [1], (
        f"item 1 would take {LONG:g} s, far more than the {GRACE:.4f} s grace period: its handler "
        f"should be cancelled when the grace period ends, and only it (the handler saw: "
        f"{handler.story()})"
    )
    assert handler.items("finished") == [0], (
        f"item 0 was in hand at stop() and needed less than the grace period: it should finish "
        f"(the handler saw: {handler.story()})"
    )
    cut = handler.time_of("interrupted", 1)
    assert cut == pytest.approx(stopped_at + GRACE, abs=1e-6), (
        f"stop({GRACE:.4f}) was called at {stopped_at:g} s, so the grace period ended at "
        f"{stopped_at + GRACE:.4f} s, but item 1 was cancelled at {cut:.4f} s: cancel exactly "
        f"when the grace period ends, counted from the call to stop()"
    )
    assert returned_at == pytest.approx(cut + ROLLBACK, abs=1e-6), (
        f"item 1 was cancelled at {cut:.4f} s and its handler ended {ROLLBACK} s later, but stop() "
        f"returned at {returned_at:.4f} s: after cancelling, wait until the workers have really "
        f"ended (no longer), then return"
    )
    assert handler.probe.in_flight == 0


@pytest.mark.points(1)
async def test_item_submitted_just_before_stop_is_returned_not_lost(student):
    handler = FakeHandler()
    pool = new_pool(student, handler)
    await asyncio.sleep(1)  # every worker is idle, waiting for an item
    pool.submit("late")  # wakes a worker, which has not run yet when stop() is called
    stopped_at = now()
    returned, returned_at = await stop_pool(pool, GRACE)
    problem = accounting_problem(handler, ["late"], returned)
    assert problem is None, (
        f"an item was submitted while the workers were idle and stop() was called right after, "
        f"before any worker had called the handler: {problem} (the handler saw: "
        f"{handler.story()})"
    )
    assert returned == ["late"], (
        f"the item submitted just before stop() was not in hand yet (its handler had not been "
        f"called), so stop() should not start it but return it; it returned {returned!r} (the "
        f"handler saw: {handler.story()})"
    )
    assert returned_at == stopped_at, (
        f"no item was in hand, yet stop() returned only at {returned_at:g} s instead of at once "
        f"({stopped_at:g} s): stop the idle workers right away"
    )


@pytest.mark.points(1)
async def test_submit_after_stop_raises_and_stop_without_items_is_immediate(student):
    handler = FakeHandler()
    pool = new_pool(student, handler, [0])
    await asyncio.sleep(10)  # item 0 is long done
    stopped_at = now()
    returned, returned_at = await stop_pool(pool, GRACE)
    assert returned == [], f"every item was handled, so stop() should return [], not {returned!r}"
    assert returned_at == stopped_at, (
        f"the workers were all idle, yet stop() returned only at {returned_at:g} s instead of at "
        f"once ({stopped_at:g} s): stop the idle workers right away"
    )
    try:
        pool.submit(1)
    except RuntimeError:
        pass
    else:
        pytest.fail("submit() after stop() accepted the item: raise RuntimeError instead, so the "
                    "caller knows it will never be handled")
    assert handler.items("started") == [0], (
        f"an item submitted after stop() was handled (the handler saw: {handler.story()})"
    )


def cancel_scenario(student):
    """Pool with items 0 (3 s) and 1 (LONG) in hand at 1 s, then stop(GRACE); cancelled anywhere."""
    handler = FakeHandler({0: 3.0, 1: LONG})
    ctx = {"handler": handler, "stop_called_at": None, "left": [], "ended_at": None}
    before = asyncio.all_tasks()
    pool = new_pool(student, handler, list(range(6)))

    async def scenario():
        try:
            try:
                await asyncio.sleep(1)  # the workers pick up items 0 and 1
            except asyncio.CancelledError:
                # Cancelled before stop() was called (not what we grade): shut the pool down
                # now, so that it does not keep working through the next runs.
                await pool.stop(0)
                raise
            ctx["stop_called_at"] = now()
            return await pool.stop(GRACE)
        finally:
            ctx["ended_at"] = now()
            ctx["left"] = running_since(before)

    return scenario(), ctx


@pytest.mark.points(2)
async def test_cancel_stop_at_every_await_leaves_nothing_running(student):
    runs = await cancel_at_each_await(lambda: cancel_scenario(student), wait=DEADLINE)
    for run in runs:
        ctx = run.context
        handler = ctx["handler"]
        if ctx["stop_called_at"] is None:  # cancelled in our own sleep, before stop() was called
            assert not run.hung, (
                f"stop(0), called on a pool with two items in hand, did not end (the handler saw: "
                f"{handler.story()}): with no grace period, cancel the items in hand at once"
            )
            continue
        when = (f"When stop() was cancelled at its await #{run.point - 1}"
                if run.reached else "When stop() was not cancelled")
        assert not run.hung, (
            f"{when}, {run.describe()} (the handler saw: {handler.story()}). A cancelled stop() "
            f"must end: never swallow CancelledError"
        )
        assert not ctx["left"], (
            f"{when}, it ended with {len(ctx['left'])} task(s) of the pool still running "
            f"({', '.join(ctx['left'])}; the "
            f"handler saw: {handler.story()}): before letting the cancellation propagate, cancel "
            f"the workers and wait until they have really ended"
        )
        late = started_after(handler, ctx["stop_called_at"])
        assert not late, (
            f"{when}, item(s) {late} started after stop() was called (the handler saw: "
            f"{handler.story()}): once stopping, no worker takes a new item"
        )
        started = handler.items("started")
        assert len(started) == len(set(started)), (
            f"{when}, an item was handled twice (the handler saw: {handler.story()})"
        )
        if run.reached:
            assert run.cancelled, (
                f"{when}, {run.describe()} (the handler saw: {handler.story()}): after stopping "
                f"the workers, let the CancelledError propagate so the caller's task ends cancelled"
            )
        else:
            assert run.exception is None, f"{when}, {run.describe()}"
            problem = accounting_problem(handler, list(range(6)), run.result)
            assert problem is None, f"{when}, {problem} (the handler saw: {handler.story()})"


@pytest.mark.points(1)
async def test_cancelled_stop_cuts_the_grace_short(student):
    handler = FakeHandler({0: LONG, 1: LONG})
    before = asyncio.all_tasks()
    pool = new_pool(student, handler, list(range(4)))
    await asyncio.sleep(1)
    stopper = asyncio.create_task(pool.stop(GRACE))
    await asyncio.sleep(2)  # in the middle of the grace period
    cancelled_at = now()
    stopper.cancel()
    await asyncio.wait({stopper}, timeout=DEADLINE)
    try:
        assert stopper.done(), (
            f"stop() was cancelled at {cancelled_at:g} s and was still running {DEADLINE} s later "
            f"(the handler saw: {handler.story()}): never swallow CancelledError"
        )
        ended_at = now()  # asyncio.wait returns the instant the task ends
        left = running_since(before)
        assert not left, (
            f"stop() was cancelled during the grace period and ended with {len(left)} task(s) of "
            f"the pool still running ({', '.join(left)}): cancel the workers and wait until they "
            f"have ended"
        )
        assert sorted(handler.items("interrupted")) == [0, 1], (
            f"stop() was cancelled at {cancelled_at:g} s, in the middle of the grace period: the "
            f"items in hand should then be cancelled at once (the handler saw: "
            f"{handler.story()})"
        )
        cut = [e[2] for e in handler.log.events if e[0] == "interrupted"]
        assert cut == [cancelled_at, cancelled_at], (
            f"stop() was cancelled at {cancelled_at:g} s but the items in hand were cancelled at "
            f"{cut}: when stop() itself is cancelled, the grace period is over, cancel at once"
        )
        assert stopper.cancelled(), (
            f"stop() was cancelled, and after stopping the workers it did not end cancelled "
            f"(ended at {ended_at:g} s): let the CancelledError propagate"
        )
    finally:
        if not stopper.done():
            stopper.get_coro().close()
            stopper.cancel()
            await asyncio.wait({stopper}, timeout=1)
        if stopper.done() and not stopper.cancelled():
            stopper.exception()
