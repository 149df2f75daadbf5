"""Hidden grader for task_group.

``fetch_all`` and ``fetch_or_report`` are graded against ``FakeStore``, a double whose ``fetch``
sleeps on the virtual clock and then returns a value or raises, as its plan says. A fetch that is
cancelled logs it, then takes a while to release its connection before it lets the cancellation
go on: 0.3 s, 0.6 s, 0.9 s... in the order of the plan, so a solution that waits only for the
first of them to end is caught. "The siblings had finished when fetch_all raised" is thus
something a solution must wait for. ``run_fetch`` records, at the very moment the student's
coroutine ends, how many fetches were still in flight: "nothing left running" is a fact, not a
timing guess. fetch_all itself is cancelled once while fetches run (``run_cancelled_after``) and
at every one of its own suspension points (``cancel_at_each_await``).
"""

import asyncio

import pytest

from grader.testing import (
    ConcurrencyProbe,
    EventLog,
    cancel_at_each_await,
    now,
    run_cancelled_after,
)

pytestmark = pytest.mark.exercise("task_group")

DEADLINE = 60  # virtual seconds, far past every double: a solution that hangs fails at once
RELEASE = 0.3  # how long the first cancelled fetch takes to release its connection; the next 0.6...


class FakeStore:
    """A double for the resource store: ``fetch(name)`` follows ``plan[name]``.

    A plan entry is ``(seconds, outcome)``: outcome "missing" raises the student's NotFound,
    "unreachable" their Unreachable, "corrupt" a ValueError; anything else is returned.
    """

    def __init__(self, student, plan, ready_on=None) -> None:
        self.student = student
        self.ready_on = ready_on  # the name whose successful fetch sets ``ready``
        self.ready = asyncio.Event()
        self.plan = dict(plan)
        self.release = {name: RELEASE * (i + 1) for i, name in enumerate(self.plan)}
        self.log = EventLog()
        self.probe = ConcurrencyProbe()
        self.at_exit: tuple[int, float] | None = None  # (fetches in flight, time) at the end

    async def fetch(self, name):
        seconds, outcome = self.plan[name]
        async with self.probe:
            try:
                await asyncio.sleep(seconds)
            except asyncio.CancelledError:
                self.log("cancelled", name, now())
                await asyncio.sleep(self.release[name])  # releasing the connection
                self.log("released", name, now())
                raise
            if outcome in ("missing", "unreachable", "corrupt"):
                self.log("failed", name, now())
                raise self.error(name, outcome)
            self.log("fetched", name, now())
            if name == self.ready_on:
                self.ready.set()
            return outcome

    def error(self, name, outcome) -> Exception:
        if outcome == "missing":
            return self.student.NotFound(name)
        if outcome == "unreachable":
            return self.student.Unreachable(name)
        return ValueError(f"{name}: corrupt data")

    def events(self, kind: str) -> list[tuple]:
        return sorted(e for e in self.log.events if e[0] == kind)


async def run_fetch(store: FakeStore, coro):
    """Await the student's coroutine, noting how many fetches were in flight when it ended."""
    try:
        return await coro
    finally:
        store.at_exit = (store.probe.in_flight, now())


async def finish(store: FakeStore, coro, what: str):
    """Await the student's call (bounded); return (result, None) or (None, exception).

    Afterwards let any fetch it left running end, so that this test's own verdict is the one
    the student reads rather than a generic "task still pending" report.
    """
    deadline = asyncio.timeout(DEADLINE)
    try:
        try:
            async with deadline:
                return await run_fetch(store, coro), None
        except Exception as exc:
            if deadline.expired():
                pytest.fail(f"{what} was still running after {DEADLINE} s: does it wait for "
                            f"something that never happens?")
            return None, exc
    finally:
        await asyncio.sleep(DEADLINE)


def leaves(exc: BaseException) -> list[BaseException]:
    """The exceptions inside a (possibly nested) exception group, or [exc] for a plain one."""
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in leaves(inner)]
    return [exc]


def failures(exc: BaseException) -> list[tuple[str, str]]:
    """(kind, name) for every failure raised, sorted: ("NotFound", "b"), ..."""
    return sorted((type(e).__name__, getattr(e, "name", str(e))) for e in leaves(exc))


def describe_end(task: asyncio.Task) -> str:
    """How a finished task ended, in words: 'it ended cancelled', 'it returned {...}', ..."""
    if task.cancelled():
        return "it ended cancelled"
    if task.exception() is not None:
        return f"it raised {task.exception()!r}"
    return f"it returned {task.result()!r}"


def nothing_left_running(store: FakeStore, what: str) -> None:
    in_flight, _ = store.at_exit
    assert in_flight == 0, (
        f"when {what}, {in_flight} fetch(es) were still running: a fetch that is cancelled "
        f"may need time to clean up (these take from {RELEASE} s to release their connection), "
        f"and cancel() only asks. Wait until every fetch has finished before returning or raising"
    )


# -- fetch_all ----------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_every_simultaneous_failure_is_reported(student):
    # b and d fail at the same instant: both failures happened before anyone could be cancelled.
    plan = {"a": (1, "A"), "b": (2, "missing"), "c": (10, "C"), "d": (2, "unreachable")}
    store = FakeStore(student, plan)
    result, raised = await finish(store, student.fetch_all(store.fetch, list(plan)), "fetch_all")
    assert raised is not None, (
        f"fetch 'b' and fetch 'd' both failed, yet fetch_all returned {result!r}: when a fetch "
        f"fails, fetch_all must raise"
    )
    assert isinstance(raised, BaseExceptionGroup), (
        f"fetch 'b' (NotFound) and fetch 'd' (Unreachable) failed at the same moment, and "
        f"fetch_all raised {raised!r}: raise every failure together in an ExceptionGroup, as "
        f"TaskGroup does, so the caller learns about both"
    )
    assert failures(raised) == [("NotFound", "b"), ("Unreachable", "d")], (
        f"fetch 'b' (NotFound) and fetch 'd' (Unreachable) failed at the same moment, but the "
        f"ExceptionGroup fetch_all raised holds {failures(raised)}: report every failure, and "
        f"only the failures (a cancelled fetch is not one)"
    )
    assert store.events("cancelled") == [("cancelled", "c", 2.0)], (
        f"after 'b' and 'd' failed at 2.0 s, the fetches cancelled were "
        f"{store.events('cancelled')}: cancel the one still running, 'c', right then"
    )


@pytest.mark.points(2)
async def test_siblings_are_cancelled_at_the_failure_and_finish_before_it_raises(student):
    plan = {"a": (1, "A"), "b": (2, "unreachable"), "c": (10, "C"), "d": (20, "D"),
            "e": (30, "E")}
    store = FakeStore(student, plan)
    result, raised = await finish(store, student.fetch_all(store.fetch, list(plan)), "fetch_all")
    assert raised is not None, (
        f"fetch 'b' failed (Unreachable), yet fetch_all returned {result!r}: it must raise"
    )
    fetched = store.events("fetched")
    assert fetched == [("fetched", "a", 1.0)], (
        f"fetch 'b' failed at 2.0 s, but these fetches went on to finish: {fetched[1:]}. One "
        f"failure must stop the rest: cancel every fetch still running as soon as one fails "
        f"(asyncio.gather does not; a TaskGroup does)"
    )
    assert store.events("cancelled") == [("cancelled", n, 2.0) for n in "cde"], (
        f"fetch 'b' failed at 2.0 s; the fetches still running ('c', 'd', 'e') should have been "
        f"cancelled right then, but the fetches saw {store.events('cancelled')}"
    )
    nothing_left_running(store, "fetch_all raised")
    assert store.at_exit[1] == store.events("released")[-1][2], (
        "fetch_all raised only after the cancelled fetches had released their connections, "
        "as it should, but not right when the last of them had finished: do not sleep or poll, "
        "wait for the fetches themselves"
    )
    assert failures(raised) == [("Unreachable", "b")], (
        f"only fetch 'b' failed (Unreachable), but fetch_all raised {failures(raised)}: raise "
        f"the failures in an ExceptionGroup, not the cancellations of the others"
    )


@pytest.mark.points(1)
async def test_cancelled_while_fetching_cancels_every_fetch_and_waits(student):
    plan = {"a": (1, "A"), "b": (2, "B"), "c": (3, "C"), "d": (4, "D")}
    store = FakeStore(student, plan, ready_on="b")
    # Run fetch_all as a task and cancel it at 2.0 s, when 'b' has just been fetched: 'c' and 'd'
    # are still running, and take 0.9 s and 1.2 s to release their connections once cancelled.
    task = await run_cancelled_after(
        lambda: run_fetch(store, student.fetch_all(store.fetch, list(plan))), store.ready,
        wait=DEADLINE,
    )
    ending = describe_end(task)  # retrieves its exception, if any
    await asyncio.sleep(DEADLINE)  # let anything it left running end before we look
    assert store.events("fetched") == [("fetched", "a", 1.0), ("fetched", "b", 2.0)], (
        f"fetch_all was cancelled at 2.0 s, yet these fetches went on to finish: "
        f"{store.events('fetched')[2:]}. Cancelling fetch_all must cancel every fetch it started"
    )
    assert store.events("cancelled") == [("cancelled", "c", 2.0), ("cancelled", "d", 2.0)], (
        f"fetch_all was cancelled at 2.0 s while 'c' and 'd' were running; the fetches saw "
        f"{store.events('cancelled')}: cancel them right then"
    )
    nothing_left_running(store, "fetch_all ended after being cancelled")
    assert task.cancelled(), (
        f"fetch_all was cancelled while fetching, and {ending}: after stopping the fetches, "
        f"let the cancellation propagate to whoever cancelled fetch_all"
    )


@pytest.mark.points(1)
async def test_cancelled_at_each_await_ends_cancelled_with_nothing_running(student):
    plan = {"a": (1, "A"), "b": (2, "B"), "c": (3, "C"), "d": (4, "D")}

    def scenario():
        store = FakeStore(student, plan)
        return run_fetch(store, student.fetch_all(store.fetch, list(plan))), store

    runs = await cancel_at_each_await(scenario, wait=DEADLINE)
    for run in runs:
        store = run.context
        if not run.reached:
            assert run.result == {"a": "A", "b": "B", "c": "C", "d": "D"}, (
                f"fetch_all, left to finish, {run.describe()}; expected all four results by name"
            )
            continue
        assert run.cancelled, (
            f"fetch_all was cancelled at its await #{run.point} and {run.describe()}: a "
            f"cancellation of fetch_all must propagate (end cancelled) after the fetches stop"
        )
        nothing_left_running(store, f"fetch_all was cancelled at its await #{run.point} and ended")
        started = {e[1] for e in store.log.events}
        ended = {e[1] for e in store.log.events if e[0] in ("fetched", "released")}
        assert started == ended, (
            f"fetch_all was cancelled at its await #{run.point}: every fetch it started should "
            f"have been cancelled too, or have finished; the fetches saw {store.log.events}"
        )
    await asyncio.sleep(DEADLINE)  # let anything a wrong solution left running end


# -- fetch_or_report --------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_report_names_every_failure_by_kind(student):
    plan = {"a": (1, "A"), "b": (2, "missing"), "c": (2, "unreachable"), "d": (2, "missing"),
            "e": (9, "E")}
    store = FakeStore(student, plan)
    result, raised = await finish(
        store, student.fetch_or_report(store.fetch, list(plan)), "fetch_or_report")
    assert raised is None, (
        f"'b' and 'd' were missing and 'c' unreachable, all at the same moment, and "
        f"fetch_or_report raised {raised!r}: those two kinds must be reported, not raised. A "
        f"plain `except NotFound` never matches an ExceptionGroup; `except*` does"
    )
    expected = ({}, {"b": "missing", "c": "unreachable", "d": "missing"})
    assert result == expected, (
        f"'b' and 'd' were missing and 'c' unreachable, all at the same moment: fetch_or_report "
        f"should return {expected}, not {result!r}. Report every failure of every kind"
    )
    nothing_left_running(store, "fetch_or_report returned")


@pytest.mark.points(1)
async def test_report_lets_other_failures_through(student):
    plan = {"a": (1, "A"), "b": (2, "missing"), "c": (2, "corrupt"), "d": (9, "D")}
    store = FakeStore(student, plan)
    result, raised = await finish(
        store, student.fetch_or_report(store.fetch, list(plan)), "fetch_or_report")
    assert raised is not None, (
        f"fetch 'c' failed with ValueError (corrupt data), a kind fetch_or_report does not know, "
        f"yet it returned {result!r}: only NotFound and Unreachable are reported; any other "
        f"failure must propagate, not be hidden"
    )
    assert isinstance(raised, BaseExceptionGroup), (
        f"fetch 'c' failed with ValueError at the same moment as 'b' was missing, and "
        f"fetch_or_report raised {raised!r}: let the failures it does not handle propagate in "
        f"an ExceptionGroup, the way `except*` re-raises what no clause matched"
    )
    kinds = {kind for kind, _ in failures(raised)}
    assert "ValueError" in kinds, (
        f"fetch 'c' failed with ValueError, but the ExceptionGroup fetch_or_report raised holds "
        f"{failures(raised)}: the ValueError must be in it"
    )
    assert kinds <= {"ValueError", "NotFound"}, (
        f"only 'b' (NotFound) and 'c' (ValueError) failed, but the ExceptionGroup "
        f"fetch_or_report raised holds {failures(raised)}: raise the failures, not cancellations"
    )
    nothing_left_running(store, "fetch_or_report raised")
