"""Public tests for task_group: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time, and `now()` reads the event
loop's clock exactly. Your code talks to a test double, `FakeStore`: its `fetch(name)` waits a few
virtual seconds, then returns the resource or raises; a fetch that is cancelled logs it and takes
0.3 s to release its connection. The hidden tests go further: several failures at once, fetch_all
itself cancelled at every await, and failures of a kind fetch_or_report does not know.
"""

import asyncio

import pytest

from grader.testing import ConcurrencyProbe, EventLog, now

pytestmark = pytest.mark.exercise("task_group")

DEADLINE = 60  # virtual seconds: a solution that hangs fails at once instead of hanging


class FakeStore:
    """``fetch(name)`` waits ``plan[name][0]`` seconds, then returns or raises as planned."""

    def __init__(self, student, plan):
        self.student = student
        self.plan = plan
        self.log = EventLog()
        self.probe = ConcurrencyProbe()
        self.in_flight_at_exit = None  # fetches still running when the student's call ended
        self.ended_at = None  # the virtual time at which the student's call ended

    async def fetch(self, name):
        seconds, outcome = self.plan[name]
        async with self.probe:
            try:
                await asyncio.sleep(seconds)
            except asyncio.CancelledError:
                self.log("cancelled", name, now())
                await asyncio.sleep(0.3)  # releasing the connection
                raise
            if outcome == "missing":
                raise self.student.NotFound(name)
            self.log("fetched", name, now())
            return outcome

    async def run(self, coro):
        """Await the student's call; note how many fetches were still running when it ended."""
        try:
            async with asyncio.timeout(DEADLINE):
                return await coro
        finally:
            self.in_flight_at_exit = self.probe.in_flight
            self.ended_at = now()
            await asyncio.sleep(DEADLINE)  # let anything left running end before we look


@pytest.mark.points(1)
async def test_fetches_everything_at_once(student):
    plan = {"a": (1, "A"), "b": (2, "B"), "c": (3, "C")}
    store = FakeStore(student, plan)
    start = now()
    results = await store.run(student.fetch_all(store.fetch, ["a", "b", "c"]))
    assert results == {"a": "A", "b": "B", "c": "C"}, (
        f"fetch_all returned {results!r}: return a dict mapping each name to what fetch returned"
    )
    assert store.probe.peak == 3, (
        f"at most {store.probe.peak} fetch(es) ran at once: start them all before waiting for any"
    )
    assert store.ended_at - start == 3, (
        f"fetch_all took {store.ended_at - start} s; three fetches at once should take as long as "
        f"the slowest, 3 s"
    )


@pytest.mark.points(1)
async def test_a_failure_cancels_the_fetches_still_running(student):
    plan = {"a": (1, "A"), "b": (1, "missing"), "c": (5, "C")}
    store = FakeStore(student, plan)
    raised = result = None
    try:
        result = await store.run(student.fetch_all(store.fetch, ["a", "b", "c"]))
    except Exception as exc:
        raised = exc
    assert raised is not None, (
        f"fetch 'b' failed (NotFound), yet fetch_all returned {result!r}: it must raise"
    )
    assert isinstance(raised, BaseExceptionGroup), (
        f"fetch 'b' failed and fetch_all raised {raised!r}: raise the failures in an "
        f"ExceptionGroup (a TaskGroup does that for you)"
    )
    assert store.log.events == [("fetched", "a", 1.0), ("cancelled", "c", 1.0)], (
        f"fetch 'b' failed at 1.0 s; the fetches saw {store.log.events}. 'c' was still running "
        f"and should have been cancelled right then (asyncio.gather lets it run on)"
    )
    assert store.in_flight_at_exit == 0, (
        "fetch_all raised while 'c' was still releasing its connection after being cancelled: "
        "cancel() only asks, so wait until every fetch has finished before raising"
    )


@pytest.mark.points(1)
async def test_report_lists_the_missing_resources(student):
    plan = {"a": (1, "A"), "b": (2, "missing"), "c": (2, "missing")}
    store = FakeStore(student, plan)
    result = await store.run(student.fetch_or_report(store.fetch, ["a", "b", "c"]))
    assert result == ({}, {"b": "missing", "c": "missing"}), (
        f"'b' and 'c' are missing: fetch_or_report should return "
        f"({{}}, {{'b': 'missing', 'c': 'missing'}}), not {result!r}"
    )
    store = FakeStore(student, {"a": (1, "A")})
    result = await store.run(student.fetch_or_report(store.fetch, ["a"]))
    assert result == ({"a": "A"}, {}), (
        f"nothing failed, so fetch_or_report should return ({{'a': 'A'}}, {{}}), not {result!r}"
    )
