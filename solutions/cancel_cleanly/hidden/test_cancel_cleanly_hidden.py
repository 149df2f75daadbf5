"""Hidden grader for cancel_cleanly.

``stream_updates`` is graded against doubles: a ``FakeConnection`` whose ``send`` and ``close``
suspend on the virtual clock (``close`` three times, so a cancellation can land inside it) and log
what happened, and a ``FakeUpdates`` feed. The student's coroutine is run inside ``run_stream``,
which records, at the very moment it ends, how many closes had been called and finished and which
tasks it left running: "closed completely before leaving" is then a fact, not a timing guess.
``cancel_at_each_await`` cancels it at every suspension point in turn.

``cancel_and_wait`` is graded against tasks written here (a polite one with a slow cleanup, one
that ignores the cancellation, one whose cleanup fails) and is always called from a task of its
own, the "caller", so that a cancellation of the caller and a cancellation of the task it waits for
are never confused by the grader itself. Every task the grader starts is stopped and awaited.
"""

import asyncio
import gc

import pytest

from grader.testing import EventLog, cancel_at_each_await, now, run_cancelled_after

pytestmark = pytest.mark.exercise("cancel_cleanly")

# Long enough that a wrong solution which hangs ends at once (virtual time), well past every double.
DEADLINE = 60
ITEMS = ["a", "b", "c"]
# Durations of the tasks' cleanups: not round numbers, so that they never tie with a timeout a
# wrong solution might use, and not a multiple of any poll period a student might pick (0.1, 0.05,
# 0.01 s...): a cancel_and_wait that checks on the task now and then comes back after the cleanup,
# never at its instant (the virtual clock is exact to the nanosecond, so no float drift helps).
CLEANUP = 7.5 + 1 / 7
SHORT_CLEANUP = 2.5

# -- doubles for stream_updates ---------------------------------------------------------------------


class FakeConnection:
    """A double for the connection: ``send`` and ``close`` suspend, and everything is logged.

    ``close`` awaits three times (flush, goodbye, shut down), so a cancellation can land inside it.
    ``fail_on`` makes ``send(item)`` raise ``error``; ``ready_on`` (an item, or ``"close"``) sets
    ``ready`` when that send, or the close, has started.
    """

    CLOSE_STEPS = 3

    def __init__(self, fail_on=None, error=None, ready_on=None) -> None:
        self.log = EventLog()
        self.fail_on = fail_on
        self.error = error
        self.ready_on = ready_on
        self.ready = asyncio.Event()
        self.close_calls = 0
        self.closes_finished = 0
        self.at_exit: tuple[int, int] | None = None  # (calls, finished) when stream_updates ended
        self.left_running: list[asyncio.Task] = []

    async def send(self, item) -> None:
        """Send one update: takes half a virtual second."""
        if item == self.ready_on:
            self.ready.set()
        try:
            await asyncio.sleep(0.5)
        except asyncio.CancelledError:
            self.log("send interrupted", item)
            raise
        if item == self.fail_on:
            self.log("send failed", item)
            raise self.error
        self.log("sent", item)

    async def close(self) -> None:
        """Close the connection in three steps, a tenth of a virtual second each."""
        self.close_calls += 1
        self.log("close started")
        if self.ready_on == "close":
            self.ready.set()
        try:
            for _ in range(self.CLOSE_STEPS):
                await asyncio.sleep(0.1)
        except asyncio.CancelledError:
            self.log("close interrupted")
            raise
        self.closes_finished += 1
        self.log("close finished")


class FakeUpdates:
    """A double for the async iterable of updates: one item per virtual second, then the end.

    With ``error``, the feed raises it instead of ending. Each ``async for`` gets its own iterator.
    """

    def __init__(self, items, error=None) -> None:
        self.items = list(items)
        self.error = error

    def __aiter__(self):
        return _Feed(self.items, self.error)


class _Feed:
    def __init__(self, items, error) -> None:
        self._items = list(items)
        self._error = error

    def __aiter__(self):
        return self

    async def __anext__(self):
        await asyncio.sleep(1)  # waiting for the next update is a suspension point too
        if self._items:
            return self._items.pop(0)
        if self._error is not None:
            raise self._error
        raise StopAsyncIteration


async def run_stream(student, conn: FakeConnection, updates: FakeUpdates):
    """Run the student's ``stream_updates``, noting how closing stood at the moment it ended."""
    before = asyncio.all_tasks()
    try:
        return await student.stream_updates(conn, updates)
    finally:
        conn.at_exit = (conn.close_calls, conn.closes_finished)
        conn.left_running = [t for t in asyncio.all_tasks() - before if not t.done()]


def story(conn: FakeConnection) -> str:
    """What the connection saw, in words: "sent 'a', send interrupted 'b', close started, ..."."""
    words = [" ".join([e[0], *map(repr, e[1:])]) for e in conn.log.events]
    return ", ".join(words) or "nothing at all"


def closing_problem(conn: FakeConnection) -> str | None:
    """What was wrong with closing when stream_updates ended, in the student's terms, or None."""
    if conn.left_running:
        names = ", ".join(t.get_coro().__qualname__ for t in conn.left_running)
        return (f"it left {len(conn.left_running)} task(s) running ({names}) when it ended: "
                f"await the close to its end before leaving")
    calls, finished = conn.at_exit or (conn.close_calls, conn.closes_finished)
    if calls == 0:
        return "it never called conn.close(): close the connection on every way out (finally)"
    if calls > 1:
        return f"it called conn.close() {calls} times: close the connection exactly once"
    if finished == 0:
        if conn.log.count("close interrupted"):
            return ("conn.close() was cut short by the cancellation, so the connection was "
                    "never fully closed: protect the close from the cancellation (asyncio.shield) "
                    "and wait until it has finished")
        return "it ended before conn.close() had finished: wait for the close to complete"
    return None


def ended_with(result: object, raised: BaseException | None) -> str:
    """'raised X(...)' or 'returned 3', for a message."""
    return f"raised {raised!r}" if raised is not None else f"returned {result!r}"


def describe_end(task: asyncio.Task) -> str:
    """How a finished task ended, in words: 'it ended cancelled', 'it returned 3', ..."""
    if task.cancelled():
        return "it ended cancelled"
    exc = task.exception()
    if exc is not None:
        return f"it raised {type(exc).__name__}: {exc}"
    return f"it returned {task.result()!r}"


async def settle() -> None:
    """Let a close the student left running finish, so that the test's own verdict (which names
    it) is the only one, rather than a generic "task still running" report beside it."""
    await asyncio.sleep(1)


async def finish(coro) -> tuple[object, BaseException | None]:
    """Await the student's coroutine (bounded); return (result, None) or (None, exception)."""
    deadline = asyncio.timeout(DEADLINE)
    try:
        async with deadline:
            return await coro, None
    except Exception as exc:
        if deadline.expired():
            pytest.fail(f"stream_updates was still running after {DEADLINE} s: does it wait for "
                        f"something that never happens?")
        return None, exc


# -- stream_updates -----------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_send_and_feed_errors_propagate_after_closing(student):
    send_error = ConnectionResetError("peer reset the connection")
    conn = FakeConnection(fail_on="b", error=send_error)
    result, raised = await finish(run_stream(student, conn, FakeUpdates(ITEMS)))
    await settle()
    assert raised is send_error, (
        f"conn.send('b') raised ConnectionResetError, and stream_updates "
        f"{ended_with(result, raised)}: let that same exception propagate to the caller "
        f"(clean up in `finally`, do not catch it)"
    )
    problem = closing_problem(conn)
    assert problem is None, f"after conn.send('b') failed, {problem}"
    assert conn.log.events == [("sent", "a"), ("send failed", "b"), ("close started",),
                               ("close finished",)], (
        f"after conn.send('b') failed, the connection saw: {story(conn)}; expected sent 'a', "
        f"send failed 'b', then one complete close"
    )

    feed_error = ConnectionAbortedError("the feed dropped")
    conn = FakeConnection()
    result, raised = await finish(run_stream(student, conn, FakeUpdates(["a", "b"], feed_error)))
    await settle()
    assert raised is feed_error, (
        f"the updates feed raised ConnectionAbortedError after two items, and stream_updates "
        f"{ended_with(result, raised)}: let that same exception propagate to the caller"
    )
    problem = closing_problem(conn)
    assert problem is None, f"after the updates feed failed, {problem}"
    assert conn.log.events == [("sent", "a"), ("sent", "b"), ("close started",),
                               ("close finished",)], (
        f"after the updates feed failed, the connection saw: {story(conn)}; expected sent 'a', "
        f"sent 'b', then one complete close"
    )


@pytest.mark.points(1)
async def test_cancel_at_every_await_closes_once_and_ends_cancelled(student):
    def scenario():
        conn = FakeConnection()
        return run_stream(student, conn, FakeUpdates(ITEMS)), conn

    runs = await cancel_at_each_await(scenario, wait=DEADLINE)
    await settle()
    for run in runs:
        conn = run.context
        when = (f"When stream_updates was cancelled at its await #{run.point}"
                if run.reached else "When stream_updates was not cancelled")
        assert not run.hung, (
            f"{when}, {run.describe()} (the connection saw: {story(conn)}). A cancelled task "
            f"must stop: never swallow CancelledError"
        )
        problem = closing_problem(conn)
        assert problem is None, f"{when}, {problem} (the connection saw: {story(conn)})"
        if run.reached:
            assert run.cancelled, (
                f"{when}, {run.describe()} (the connection saw: {story(conn)}). After the "
                f"cleanup, let the CancelledError propagate so the task ends cancelled, wherever "
                f"the cancellation landed, inside the close too"
            )
        else:
            assert run.exception is None, f"{when}, {run.describe()}"
            assert run.result == len(ITEMS), (
                f"{when}, {run.describe()}; it should return {len(ITEMS)}, the number of "
                f"updates sent"
            )


@pytest.mark.points(1)
async def test_cancelled_while_closing_still_closes_completely(student):
    conn = FakeConnection(ready_on="close")
    task = await run_cancelled_after(
        lambda: run_stream(student, conn, FakeUpdates(ITEMS)), conn.ready, wait=DEADLINE
    )
    await settle()
    problem = closing_problem(conn)
    assert problem is None, (
        f"stream_updates was cancelled while conn.close() was running, and {problem} (the "
        f"connection saw: {story(conn)})"
    )
    assert task.cancelled(), (
        f"stream_updates was cancelled while conn.close() was running, and {describe_end(task)}: "
        f"finish the close, then let the CancelledError propagate so the task ends cancelled"
    )


# -- tasks for cancel_and_wait ------------------------------------------------------------------------


async def polite(log: EventLog, cleanup: float = CLEANUP) -> str:
    """Works for an hour; when cancelled, cleans up for ``cleanup`` seconds and ends cancelled."""
    try:
        await asyncio.sleep(3600)
    finally:
        log("cleanup started", now())
        await asyncio.sleep(cleanup)
        log("cleanup finished", now())
    return "worked an hour"


async def swallower(log: EventLog) -> str:
    """Ignores its cancellation: works a little longer, then returns."""
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        log("cancellation ignored", now())
    await asyncio.sleep(SHORT_CLEANUP)
    return "kept going"


async def stubborn(log: EventLog) -> str:
    """Ignores every cancellation for CLEANUP seconds after the first one, then returns."""
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        log("cancellation ignored", now())
    until = now() + CLEANUP
    while now() < until:
        try:
            await asyncio.sleep(until - now())
        except asyncio.CancelledError:
            log("cancellation ignored", now())
    return "finished anyway"


class CleanupFailed(Exception):
    """What the failing task's cleanup raises."""


async def failing_cleanup() -> str:
    """When cancelled, its cleanup takes a while and then fails."""
    try:
        await asyncio.sleep(3600)
    finally:
        await asyncio.sleep(SHORT_CLEANUP)
        raise CleanupFailed("could not flush the buffer")


async def returns_at_once() -> str:
    return "done"


async def fails_at_once() -> str:
    raise ValueError("bad input")


async def started(coro) -> asyncio.Task:
    """A task of ours, already suspended in its body (one virtual second later)."""
    task = asyncio.create_task(coro)
    await asyncio.sleep(1)
    return task


def call_cancel_and_wait(student, task: asyncio.Task) -> asyncio.Task:
    """Start the caller: a task that runs cancel_and_wait(task) and then goes on working.

    It returns (what cancel_and_wait returned, when, its own cancelling() count at that moment).
    """

    async def caller():
        result = await student.cancel_and_wait(task)
        returned_at = now()
        cancelling = asyncio.current_task().cancelling()
        await asyncio.sleep(0)  # the caller carries on: a cancellation left pending would hit here
        return result, returned_at, cancelling

    return asyncio.create_task(caller())


async def wait_for_caller(caller: asyncio.Task) -> None:
    await asyncio.wait({caller}, timeout=DEADLINE)
    if not caller.done():
        pytest.fail(f"cancel_and_wait was still waiting after {DEADLINE} s, although the task "
                    f"needs at most {CLEANUP:.2f} s to finish once cancelled: does it cancel the "
                    f"task, and does it wait for something that never happens?")


async def stop(*tasks: asyncio.Task) -> None:
    """Stop the grader's own tasks (closing any that ignore it) and retrieve how they ended."""
    for task in tasks:
        task.cancel()
    await asyncio.wait(tasks, timeout=DEADLINE)
    for task in tasks:
        if not task.done():
            task.get_coro().close()
            task.cancel()
    await asyncio.wait(tasks, timeout=1)
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()


CUT_SHORT = (
    "it would have ended without being cancelled, but it was cancelled a second time while "
    "cancel_and_wait waited for it (a timeout?), so it ended cancelled: cancel once, then wait "
    "as long as the task takes"
)


def returned(caller: asyncio.Task) -> bool:
    """True if cancel_and_wait returned a value to its caller (neither raised nor was cancelled)."""
    return not caller.cancelled() and caller.exception() is None


def caller_outcome(caller: asyncio.Task) -> str:
    """What cancel_and_wait did, seen from its caller: 'returned True', 'raised ValueError: ...'."""
    if caller.cancelled():
        return "raised CancelledError into its caller"
    exc = caller.exception()
    if exc is not None:
        return f"raised {type(exc).__name__}: {exc}"
    return f"returned {caller.result()[0]!r}"


# -- cancel_and_wait ----------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_cancel_and_wait_returns_only_after_slow_cleanup(student):
    log = EventLog()
    task = await started(polite(log))
    caller = call_cancel_and_wait(student, task)
    try:
        await wait_for_caller(caller)
        assert returned(caller), (
            f"cancel_and_wait was called on a task that ends cancelled, and it "
            f"{caller_outcome(caller)}; nobody cancelled the caller, so return True: `await task` "
            f"re-raises the task's CancelledError in your code, and it is not yours to propagate"
        )
        result, returned_at, _ = caller.result()
        assert task.done(), (
            f"cancel_and_wait returned {result!r} at {returned_at} s while the task was still "
            f"running its cleanup: `task.cancel()` only asks; wait until the task has finished"
        )
        assert log.names() == ["cleanup started", "cleanup finished"], (
            f"the task's {CLEANUP:.2f} s cleanup did not run to its end (it logged {log.events}): do "
            f"not cut it short with a timeout or a second cancel; wait as long as it takes"
        )
        assert result is True, (
            f"cancel_and_wait returned {result!r}; the task ended cancelled after its cleanup, "
            f"so it should return True"
        )
        finished_at = log.events[-1][1]
        # Exact: under virtual time, a task that waits for another one resumes at the very
        # instant that one finishes. Only polling (sleeping and checking) comes back later.
        assert returned_at == finished_at, (
            f"the task finished at {finished_at} s but cancel_and_wait returned only at "
            f"{returned_at} s: wait for the task itself (await it, or asyncio.wait) rather than "
            f"checking on it now and then, so that you return the moment it has finished"
        )
    finally:
        await stop(task, caller)


@pytest.mark.points(1)
async def test_cancel_and_wait_false_unless_the_task_ended_cancelled(student):
    log = EventLog()
    cases = [
        ("a task that ignores the cancellation (and returns)", await started(swallower(log)), False),
        ("a task that had already returned", asyncio.create_task(returns_at_once()), False),
        ("a task that had already raised ValueError", asyncio.create_task(fails_at_once()), False),
        ("a task that had already been cancelled", asyncio.create_task(polite(log, 0)), True),
    ]
    cases[-1][1].cancel()
    await asyncio.sleep(1)  # the last three are finished by now
    try:
        for what, task, expected in cases:
            caller = call_cancel_and_wait(student, task)
            await wait_for_caller(caller)
            outcome = caller_outcome(caller)
            assert returned(caller), (
                f"cancel_and_wait was called on {what}, and it {outcome}: it should return "
                f"{expected} (the task's own exception or cancellation is not re-raised)"
            )
            result, returned_at, _ = caller.result()
            assert task.done(), (
                f"cancel_and_wait on {what} returned {result!r} at {returned_at} s while the "
                f"task was still running: wait until the task has finished"
            )
            assert expected or not task.cancelled(), f"{what}: {CUT_SHORT}"
            assert result is expected, (
                f"cancel_and_wait on {what} returned {result!r}; it should return {expected}: "
                f"True only if the task ended cancelled (task.cancelled())"
            )
    finally:
        await stop(*(task for _, task, _ in cases))


@pytest.mark.points(1)
async def test_cancel_and_wait_keeps_a_failed_cleanup_to_itself(student):
    tasks = [await started(failing_cleanup())]
    caller = call_cancel_and_wait(student, tasks[0])
    try:
        await wait_for_caller(caller)
        assert returned(caller), (
            f"the task's cleanup raised CleanupFailed, and cancel_and_wait "
            f"{caller_outcome(caller)}: return False instead (the caller asked how the task "
            f"ended, not for its error)"
        )
        result, returned_at, _ = caller.result()
        assert tasks[0].done(), (
            f"cancel_and_wait returned {result!r} at {returned_at} s while the task was still "
            f"running its cleanup: wait until the task has finished"
        )
        assert not tasks[0].cancelled(), f"the task with a failing cleanup: {CUT_SHORT}"
        assert result is False, (
            f"the task's cleanup raised CleanupFailed, so the task did not end cancelled, and "
            f"cancel_and_wait returned {result!r}; it should return False"
        )
        reports = unretrieved_reports(tasks)
        assert not reports, (
            "the task's CleanupFailed exception was never retrieved, so asyncio logs \"Task "
            "exception was never retrieved\": after the wait, call `task.exception()` (or await "
            "the task inside try/except) so that asyncio knows the error was seen"
        )
    finally:
        await stop(*tasks, caller)


def unretrieved_reports(tasks: list[asyncio.Task]) -> list[dict]:
    """Drop our last references to ``tasks`` and collect them: what asyncio reports as unretrieved."""
    loop = asyncio.get_running_loop()
    reports: list[dict] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: reports.append(context))
    try:
        tasks.clear()
        gc.collect()
    finally:
        loop.set_exception_handler(previous)
    return [r for r in reports if "never retrieved" in str(r.get("message", ""))]


@pytest.mark.points(1)
async def test_callers_own_cancellation_propagates(student):
    for kind, body in [("ends cancelled after its cleanup", polite),
                       ("ignores cancellation until it is done", stubborn)]:
        log = EventLog()
        task = await started(body(log))
        caller = call_cancel_and_wait(student, task)
        try:
            await asyncio.sleep(2)  # the task is cleaning up, the caller is waiting for it
            assert not caller.done(), (
                f"cancel_and_wait (on a task that {kind}) {caller_outcome(caller)} before the "
                f"task's {CLEANUP:.2f} s cleanup could have finished: wait as long as it takes"
            )
            caller.cancel()
            await wait_for_caller(caller)
            if not caller.cancelled():
                cancelling = caller.result()[2] if returned(caller) else "?"
                pytest.fail(
                    f"the task that called cancel_and_wait (on a task that {kind}) was itself "
                    f"cancelled while it waited, and cancel_and_wait {caller_outcome(caller)} "
                    f"(the caller's cancelling() was then {cancelling}). That cancellation was "
                    f"aimed at the caller: it must propagate. A CancelledError from `await task` "
                    f"may be the task's or yours, and a task that ignores cancellation can make "
                    f"`await task` return normally although you were cancelled: check "
                    f"`asyncio.current_task().cancelling()` after the wait"
                )
        finally:
            await stop(task, caller)
