"""Hidden grader for to_thread.

The student's code is handed ``Library.load``, a double for a blocking library call. It records,
from inside the call, whether it runs on the event loop's thread (``on_loop_thread()``: fully
deterministic, no timing involved) and how many loads are in flight at once; and it blocks its
thread until something that only correct code makes happen has happened:

- the loop's heartbeat (a task of the grader) has ticked a few more times: proof that the loop
  kept running while the load blocked;
- ``limit`` loads are in flight at once: proof that ``fetch_reports`` really overlaps them;
- every other load has finished: proof that a new load starts as soon as a slot frees up;
- the grader opens a gate: so a cancellation lands while loads are running.

Each wait is bounded by a generous real-time timeout (correct code never comes near it), after
which the double gives up, notes the problem in words, and returns, so a wrong solution fails with
a teaching message instead of hanging. At the end of every scenario every waiting load is
released, the heartbeat is cancelled and awaited, and nothing of the grader's is left running.

A load called on the loop thread does not wait for the heartbeat (it could never tick): it blocks
for one second, as a real blocking call would, which the plugin's watchdog reports, and the
double's own record says so too.
"""

import asyncio
import contextlib
import functools
import threading
import time
from collections.abc import AsyncIterator, Callable

import pytest

from grader.testing import on_loop_thread

pytestmark = pytest.mark.exercise("to_thread")

# Virtual seconds: a solution that hangs fails at once instead of hanging (virtual time).
DEADLINE = 60
# Real seconds a load waits for something correct code makes happen within milliseconds.
THREAD_WAIT = 5.0
# Real seconds the loads in flight wait, once `limit` of them are, to see whether one more starts.
# In a solution without a limit the extra threads are already started and only need to be
# scheduled; a correct solution never starts one, whatever the wait.
GRACE = 1.0
# A load on the loop thread blocks this long (the watchdog counts more than 0.25 s as blocking).
BLOCK = 1.0
TICK = 0.01  # the heartbeat's period (virtual; real while a thread is working)
BEATS = 3  # ticks a load waits for


class ReportMissing(Exception):
    """What the failing load raises."""


def report(report_id) -> dict:
    """What load(report_id) returns: a fresh dict each time."""
    return {"id": report_id, "title": f"Report {report_id}", "rows": [report_id] * 3}


class Library:
    """A double for a blocking library: ``load(report_id)`` blocks its thread and records.

    ``hold(lib, report_id)`` is what a load does in its thread before returning; ``failing``: the
    report id whose load raises ``error``.
    """

    def __init__(self, hold: Callable[["Library", object], None] | None = None,
                 failing=None, error: BaseException | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        self.hold = hold
        self.failing = failing
        self.error = error
        self.cond = threading.Condition()
        self.calls: list = []  # report ids, in the order load was called
        self.on_loop: list = []  # report ids loaded on the event loop's thread
        self.in_flight = 0
        self.peak = 0
        self.finished = 0
        self.ticks = 0
        self.released = False  # the scenario is over: every wait ends at once
        self.gate_open = False
        self.settled = False  # the "limit" check is over: later loads go straight through
        self.grace = False  # needs_company: wait GRACE to see whether one load too many starts
        self.problems: list[str] = []  # what a load found wrong, in words

    # -- what the student's code calls ----------------------------------------------------------

    def load(self, report_id) -> dict:
        """The blocking library call."""
        on_loop = on_loop_thread()
        with self.cond:
            self.calls.append(report_id)
            if on_loop:
                self.on_loop.append(report_id)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.cond.notify_all()
        try:
            if on_loop:
                time.sleep(BLOCK)  # a blocking call on the loop thread: nothing else can run
            elif self.hold is not None:
                self.hold(self, report_id)
            if report_id == self.failing:
                raise self.error
            return report(report_id)
        finally:
            with self.cond:
                self.in_flight -= 1
                self.finished += 1
                self.cond.notify_all()

    # -- for the holds (thread side) and the grader (loop side) ----------------------------------

    def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Block this (worker) thread until ``predicate()`` or the end of the scenario."""
        with self.cond:
            return self.cond.wait_for(lambda: predicate() or self.released, timeout) and not self.released

    def problem(self, text: str) -> None:
        with self.cond:
            self.problems.append(text)

    def beat(self) -> None:
        with self.cond:
            self.ticks += 1
            self.cond.notify_all()

    def set(self, **flags: bool) -> None:
        with self.cond:
            for name, value in flags.items():
                setattr(self, name, value)
            self.cond.notify_all()

    def wake(self, event: asyncio.Event) -> None:
        """Set an asyncio.Event of the loop from a worker thread."""
        with contextlib.suppress(RuntimeError):  # the loop is already closed: nobody waits
            self.loop.call_soon_threadsafe(event.set)


# -- holds: what a load waits for in its thread ---------------------------------------------------


def needs_heartbeat(lib: Library, report_id) -> None:
    """Block until the loop's heartbeat has ticked BEATS more times."""
    with lib.cond:
        start = lib.ticks
    if not lib.wait_until(lambda: lib.ticks >= start + BEATS, THREAD_WAIT) and not lib.released:
        lib.problem(f"while load({report_id!r}) was blocking in its thread, the event loop did not "
                    f"run for {THREAD_WAIT:.0f} s (a heartbeat coroutine never got a turn)")


def needs_company(limit: int) -> Callable[[Library, object], None]:
    """Block until ``limit`` loads are in flight at once; with ``lib.grace``, then wait GRACE more
    to see whether one load too many starts. Once settled, later loads go straight through."""

    def hold(lib: Library, report_id) -> None:
        if lib.settled:
            return
        if not lib.wait_until(lambda: lib.peak >= limit or lib.settled, THREAD_WAIT):
            if not lib.released and not lib.settled and not lib.grace:
                lib.problem(f"load({report_id!r}) waited {THREAD_WAIT:.0f} s for {limit} loads "
                            f"to be in flight at once, and there were never more than {lib.peak}: "
                            f"start up to `limit` loads at the same time (a task per id, with a "
                            f"Semaphore of `limit` slots), rather than awaiting them one by one")
        elif lib.grace:
            lib.wait_until(lambda: lib.peak > limit or lib.settled, GRACE)
        lib.set(settled=True)

    return hold


def needs_the_others_done(slow, total: int) -> Callable[[Library, object], None]:
    """Report ``slow`` finishes only once every other load has finished; the others at once."""

    def hold(lib: Library, report_id) -> None:
        if report_id != slow:
            return
        if not lib.wait_until(lambda: lib.finished >= total - 1, THREAD_WAIT) and not lib.released:
            lib.problem(
                f"load({report_id!r}) is slow: it only finishes once the other loads have. But "
                f"while it was running, only {lib.finished} of the other {total - 1} loads "
                f"finished and no new one started"
            )

    return hold


def fails_while_another_runs(failing, other) -> Callable[[Library, object], None]:
    """load(failing) raises once load(other) is in flight; load(other) blocks until the end."""

    def hold(lib: Library, report_id) -> None:
        if report_id == other:
            lib.wait_until(lambda: False, THREAD_WAIT)  # ends when the scenario does
        elif report_id == failing and not lib.wait_until(lambda: other in lib.calls, THREAD_WAIT):
            lib.problem(f"load({failing!r}) waited {THREAD_WAIT:.0f} s for load({other!r}) to start "
                        f"too, but it never did: run up to `limit` loads at the same time")

    return hold


def waits_at_gate(ready: asyncio.Event, running: int) -> Callable[[Library, object], None]:
    """Wake ``ready`` once ``running`` loads are in flight; block until the gate opens."""

    def hold(lib: Library, report_id) -> None:
        with lib.cond:
            if lib.in_flight >= running:
                lib.wake(ready)
        lib.wait_until(lambda: lib.gate_open, THREAD_WAIT)

    return hold


# -- scenario helpers ------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def scenario(lib: Library, *, heartbeat: bool = False) -> AsyncIterator[None]:
    """Run the heartbeat if asked; at the end release every load and stop the heartbeat."""

    async def beating():
        while True:
            await asyncio.sleep(TICK)
            lib.beat()

    task = asyncio.create_task(beating()) if heartbeat else None
    try:
        yield
    finally:
        lib.set(released=True, gate_open=True, settled=True)
        if task is not None:
            task.cancel()
            await asyncio.wait({task})


async def call(what: str, coro) -> tuple[object, BaseException | None]:
    """Await the student's coroutine (bounded); return (result, None) or (None, exception)."""
    deadline = asyncio.timeout(DEADLINE)
    try:
        async with deadline:
            return await coro, None
    except Exception as exc:
        if deadline.expired():
            pytest.fail(f"{what} was still running after {DEADLINE} s: does it wait for something "
                        f"that never happens?", pytrace=False)
        return None, exc


def check_no_problems(lib: Library, what: str) -> None:
    assert not lib.on_loop, (
        f"{what}: load({lib.on_loop[0]!r}) ran on the event loop's own thread, so the loop (every "
        f"other coroutine) stood still while it blocked. Hand the function and its argument to "
        f"`await asyncio.to_thread(load, report_id)`: writing `load(report_id)` yourself calls it "
        f"right here, on the loop thread, even inside to_thread's parentheses"
    )
    assert not lib.problems, f"{what}: {lib.problems[0]}"


def other_pending_tasks() -> list[asyncio.Task]:
    me = asyncio.current_task()
    return [t for t in asyncio.all_tasks() if t is not me and not t.done()]


def check_nothing_left_running(what: str) -> None:
    left = other_pending_tasks()
    assert not left, (
        f"{what}, {len(left)} task(s) were still running "
        f"({', '.join(t.get_coro().__qualname__ for t in left)}): when fetch_reports ends, by "
        f"returning, raising or being cancelled, no task of it may be left behind. gather does "
        f"not cancel the other tasks when one fails; a TaskGroup does (or cancel and await them "
        f"yourself in `finally`)"
    )


def check_results(results, ids, what: str, *, ordered: bool = False) -> None:
    """The reports of ``ids``; in their order only where the grader fixed the order loads finish
    in (elsewhere threads finish in any order, and a verdict must never depend on it)."""
    expected = [report(i) for i in ids]
    if results == expected:
        return
    if not ordered and isinstance(results, list) and sorted(results, key=repr) == sorted(expected, key=repr):
        return
    if isinstance(results, list) and len(results) == len(ids) and None not in results:
        got = [r.get("id") if isinstance(r, dict) else r for r in results]
        if sorted(map(repr, got)) == sorted(map(repr, ids)):
            pytest.fail(f"{what} returned the reports of ids {got}: return them in the order of "
                        f"`ids`, {list(ids)}, whatever order the loads finish in", pytrace=False)
    pytest.fail(f"{what} returned {results!r:.300}; expected the list of what load returned for "
                f"each id, in the order of `ids`", pytrace=False)


# -- tests -------------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_every_load_runs_in_a_worker_thread(student):
    lib = Library()
    async with scenario(lib):
        result, raised = await call("fetch_report('r-7', load)", student.fetch_report("r-7", lib.load))
    assert raised is None, f"fetch_report('r-7', load) raised {raised!r}; load did not fail"
    check_no_problems(lib, "fetch_report('r-7', load)")
    assert lib.calls == ["r-7"], (
        f"fetch_report('r-7', load) called load with {lib.calls}: call it exactly once, with the "
        f"report id"
    )
    assert result == report("r-7"), (
        f"fetch_report('r-7', load) returned {result!r}; return what load('r-7') returned"
    )

    ids = list(range(10))
    lib = Library()
    async with scenario(lib):
        results, raised = await call(f"fetch_reports({ids}, load)", student.fetch_reports(ids, lib.load))
    assert raised is None, f"fetch_reports({ids}, load) raised {raised!r}; no load failed"
    check_no_problems(lib, f"fetch_reports({ids}, load)")
    assert sorted(lib.calls) == ids, (
        f"fetch_reports({ids}, load) called load with {sorted(lib.calls)}: load each id exactly once"
    )
    check_results(results, ids, f"fetch_reports({ids}, load)")


@pytest.mark.points(1)
async def test_heartbeat_keeps_ticking_while_loads_block(student):
    ids = ["a", "b", "c", "d", "e"]
    lib = Library(hold=needs_heartbeat)
    async with scenario(lib, heartbeat=True):
        results, raised = await call(
            f"fetch_reports({ids}, load, limit=2)", student.fetch_reports(ids, lib.load, limit=2)
        )
    what = f"fetch_reports({ids}, load, limit=2)"
    check_no_problems(lib, what)
    assert raised is None, f"{what} raised {raised!r}; no load failed"
    check_results(results, ids, what)


@pytest.mark.points(1)
async def test_load_errors_reach_the_caller_unchanged(student):
    error = ReportMissing("report r-404 was deleted")
    lib = Library(failing="r-404", error=error)
    async with scenario(lib):
        result, raised = await call("fetch_report('r-404', load)", student.fetch_report("r-404", lib.load))
    check_no_problems(lib, "fetch_report('r-404', load)")
    assert raised is error, (
        f"load('r-404') raised ReportMissing in its thread, and fetch_report "
        f"{'raised ' + repr(raised) if raised else 'returned ' + repr(result)}: let that same "
        f"exception reach the caller (to_thread re-raises it in your coroutine; do not catch it, "
        f"wrap it, or turn it into None)"
    )

    ids = [1, 2, 3, 4, 5, 6]
    error = ReportMissing("report 1 was deleted")
    # load(1) fails while load(2) is still blocking in its thread and 3-6 wait for their turn.
    lib = Library(hold=fails_while_another_runs(1, 2), failing=1, error=error)
    what = f"fetch_reports({ids}, load, limit=2)"
    async with scenario(lib):
        results, raised = await call(what, student.fetch_reports(ids, lib.load, limit=2))
        check_nothing_left_running(f"after load(1) failed and {what} ended")
    check_no_problems(lib, what)
    assert raised is error, (
        f"load(1) raised ReportMissing in its thread, and {what} "
        f"{'raised ' + repr(raised) if raised else 'returned ' + repr(results)}: let that same "
        f"exception reach the caller, not wrapped (a TaskGroup wraps it in an ExceptionGroup: "
        f"unwrap it) and not swallowed"
    )


@pytest.mark.points(1)
async def test_fetch_reports_runs_limit_loads_at_once(student):
    for limit in (3, None):
        ids = list(range(8))
        lib = Library(hold=needs_company(limit or 4))
        what = f"fetch_reports({ids}, load{f', limit={limit}' if limit else ''})"
        kwargs = {"limit": limit} if limit else {}
        async with scenario(lib):
            results, raised = await call(what, student.fetch_reports(ids, lib.load, **kwargs))
        check_no_problems(lib, f"{what} (limit {limit or '4 by default'})")
        assert raised is None, f"{what} raised {raised!r}; no load failed"
        check_results(results, ids, what)


@pytest.mark.points(1)
async def test_fetch_reports_never_runs_more_than_limit(student):
    ids = list(range(8))
    lib = Library(hold=needs_company(3))
    lib.grace = True
    what = f"fetch_reports({ids}, load, limit=3)"
    async with scenario(lib):
        results, raised = await call(what, student.fetch_reports(ids, lib.load, limit=3))
    assert lib.peak <= 3, (
        f"{what} had {lib.peak} loads in flight at once; at most 3 may run at the same time. The "
        f"thread pool does not limit them for you (the default one has min(32, cpus + 4) "
        f"workers): use an asyncio.Semaphore around each load, or a pool of `limit` workers"
    )
    check_no_problems(lib, what)
    assert raised is None, f"{what} raised {raised!r}; no load failed"
    check_results(results, ids, what)


@pytest.mark.points(1)
async def test_next_load_starts_as_soon_as_one_finishes(student):
    ids = ["slow", "q1", "q2", "q3", "q4", "q5"]
    lib = Library(hold=needs_the_others_done("slow", len(ids)))
    what = f"fetch_reports({ids}, load, limit=2)"
    async with scenario(lib):
        results, raised = await call(what, student.fetch_reports(ids, lib.load, limit=2))
    assert not lib.problems, (
        f"{what}: {lib.problems[0]}. Keep `limit` loads running: start the next load as soon as "
        f"any one finishes, rather than waiting for a whole batch to finish"
    )
    check_no_problems(lib, what)
    assert raised is None, f"{what} raised {raised!r}; no load failed"
    check_results(results, ids, what, ordered=True)  # 'slow' finished last, the others in any order


@pytest.mark.points(1)
async def test_cancelled_fetch_reports_ends_at_once_and_starts_nothing_new(student):
    ids = list(range(6))
    ready = asyncio.Event()
    lib = Library(hold=waits_at_gate(ready, 2))
    what = f"fetch_reports({ids}, load, limit=2)"
    # Loads are counted when handed to a thread, not when the thread gets to run them: a thread
    # pool may start a job handed over before the cancellation only after it (a race that must
    # not decide the verdict). Every correct way hands jobs over through run_in_executor.
    loop = asyncio.get_running_loop()
    handed_over: list[object] = []

    def counting_run_in_executor(executor, func, *args):
        if not (isinstance(func, functools.partial) and lib.wait_until in func.args):  # not our own
            handed_over.append(func)
        return type(loop).run_in_executor(loop, executor, func, *args)

    loop.run_in_executor = counting_run_in_executor
    async with scenario(lib):
        task = asyncio.create_task(student.fetch_reports(ids, lib.load, limit=2))
        try:
            # Whether fetch_reports is still running or already returned, wait (a bounded real
            # time) for its loads to reach the gate: loads handed over run whatever the task does.
            waiting = asyncio.create_task(ready.wait())
            await asyncio.wait({waiting}, timeout=THREAD_WAIT)
            waiting.cancel()
            await asyncio.wait({waiting})
            reached = ready.is_set()
            if reached and not task.done():
                task.cancel()
                # The loads in flight stay blocked in their threads until the gate opens below:
                # a fetch_reports that waited for them would still be running at this timeout.
                await asyncio.wait({task}, timeout=THREAD_WAIT / 2)
            ended = task.done()
            left = [t for t in other_pending_tasks() if t is not task]
            handed_by_then = len(handed_over)
        finally:
            lib.set(gate_open=True)
            task.cancel()
            await asyncio.wait({task}, timeout=THREAD_WAIT)
            if task.done() and not task.cancelled():
                task.exception()
        # Let the threads finish, then give a wrong solution every chance to start more loads.
        await asyncio.to_thread(lib.wait_until, lambda: lib.in_flight == 0, THREAD_WAIT)
        await asyncio.sleep(1)
        del loop.run_in_executor
    handed_later = len(handed_over) - handed_by_then
    check_no_problems(lib, what)
    assert reached, (
        f"{what} never had 2 loads in flight at once (it "
        f"{'ended' if ended else 'kept waiting'} instead): run up to `limit` loads at the same time"
    )
    assert ended, (
        f"{what} was cancelled while two loads were blocking in their threads, and it did not end "
        f"until those loads finished: a thread cannot be interrupted, so do not wait for it; let "
        f"the cancellation propagate at once (the loads finish in the background and their "
        f"results are dropped). Note that leaving a `with ThreadPoolExecutor(...)` block waits "
        f"for its threads, on the loop thread"
    )
    assert not left, (
        f"when {what} was cancelled while two loads were running, it ended but left "
        f"{len(left)} task(s) running ({', '.join(t.get_coro().__qualname__ for t in left)}): "
        f"cancel and await every task you started (a TaskGroup or gather does it for you)"
    )
    assert task.cancelled(), (
        f"{what} was cancelled while two loads were running, but it did not end cancelled (it "
        f"{'raised ' + repr(task.exception()) if task.exception() else 'returned'}): let the "
        f"CancelledError propagate"
    )
    assert handed_later == 0, (
        f"{what} was cancelled while two loads were running, yet it then handed {handed_later} "
        f"more load(s) to a thread: a cancelled fetch_reports starts no new load"
    )
