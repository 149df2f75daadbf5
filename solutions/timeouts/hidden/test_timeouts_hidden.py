"""Hidden grader for timeouts.

``first_answer`` is graded against mirrors written here: each one waits a given number of virtual
seconds, then answers or raises; when cancelled it logs it, cleans up for a while (so "waited for
the losers" is a fact the log can show), and ends cancelled. The student's call runs inside
``run_first``, which records, at the very moment ``first_answer`` ended, which mirrors were still
running: "stopped and finished before returning" is then a fact, not a timing guess.

Every test starts the race at a non-zero time (so a timeout taken as an absolute clock reading is
wrong), and no two events of a race happen at the same instant. ``cancel_at_each_await`` cancels
the caller at every suspension point in turn.
"""

import asyncio

import pytest

from grader.testing import ConcurrencyProbe, EventLog, cancel_at_each_await, now, run_cancelled_after

pytestmark = pytest.mark.exercise("timeouts")

# Long enough that a wrong solution which hangs ends at once (virtual time), well past every mirror.
DEADLINE = 600
START = 10.0  # every race starts here, not at 0.0
NEVER = 3600  # a mirror this slow only ends by being cancelled


class MirrorError(Exception):
    """What a failing mirror raises."""


class Board:
    """The mirrors of one race, their shared log and probe, and what was seen when the race ended."""

    def __init__(self) -> None:
        self.log = EventLog()
        self.probe = ConcurrencyProbe()
        self.mirrors: list[Mirror] = []
        self.started_at: float | None = None
        self.ended_at: float | None = None
        self.running_at_exit: list[str] = []

    def mirror(self, name, delay, answer=None, error=None, cleanup=0.0) -> "Mirror":
        mirror = Mirror(self, name, delay, answer, error, cleanup)
        self.mirrors.append(mirror)
        return mirror

    def running(self) -> list[str]:
        """The mirrors that were asked and have not finished (answered, failed, or stopped)."""
        return [m.name for m in self.mirrors if m.asked and not m.finished]

    def times(self, event: str) -> dict[str, float]:
        return {e[1]: e[2] for e in self.log.events if e[0] == event}

    def story(self) -> str:
        """What the mirrors saw, in words: "A asked at 10.0, A failed at 10.7, ..."."""
        words = [f"{e[1]} {e[0]} at {e[2]:g}" for e in self.log.events]
        return ", ".join(words) or "nothing at all"


class Mirror:
    """An async callable: waits ``delay`` s, then returns ``answer`` or raises ``error``.

    When cancelled, it cleans up for ``cleanup`` s (closing its connection) and ends cancelled.
    """

    def __init__(self, board, name, delay, answer, error, cleanup) -> None:
        self.board = board
        self.name = name
        self.delay = delay
        self.answer = answer
        self.error = error
        self.cleanup = cleanup
        self.asked = 0
        self.finished = False

    async def __call__(self):
        log = self.board.log
        self.asked += 1
        log("asked", self.name, now())
        try:
            async with self.board.probe:
                await asyncio.sleep(self.delay)
        except asyncio.CancelledError:
            log("cancelled", self.name, now())
            try:
                await asyncio.sleep(self.cleanup)
            finally:
                log("stopped", self.name, now())
                self.finished = True
            raise
        self.finished = True
        if self.error is not None:
            log("failed", self.name, now())
            raise self.error
        log("answered", self.name, now())
        return self.answer


async def run_first(student, board: Board, within: float):
    """Run the student's ``first_answer``, noting which mirrors still ran at the moment it ended."""
    board.started_at = now()
    try:
        return await student.first_answer(list(board.mirrors), within=within)
    finally:
        board.ended_at = now()
        board.running_at_exit = board.running()


async def race(student, board: Board, within: float):
    """Start the race at START; return (result, exception) once first_answer has ended."""
    await asyncio.sleep(START - now())
    try:
        async with asyncio.timeout(DEADLINE):
            return await run_first(student, board, within), None
    except asyncio.CancelledError:
        raise  # ours: not the student's to swallow
    except Exception as exc:  # the student's outcome, reported in messages
        return None, exc


async def settle() -> None:
    """Give any mirror the student left running time to end, so the test leaves no task behind."""
    await asyncio.sleep(NEVER * 2)


def ended_with(result, exc) -> str:
    if exc is None:
        return f"returned {result!r}"
    if str(exc):
        return f"raised {type(exc).__name__}: {exc}"
    return f"raised {type(exc).__name__}"


def left_running(board: Board, when: str) -> str | None:
    if not board.running_at_exit:
        return None
    names = ", ".join(board.running_at_exit)
    return (
        f"{when}, mirror(s) {names} were still running (the mirrors saw: {board.story()}). Cancel "
        f"every mirror still running, then wait until each one has finished (its cleanup "
        f"included) before you return or raise: cancel() only asks"
    )


# -- the race ------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_a_failing_mirror_does_not_end_the_race(student):
    board = Board()
    board.mirror("A", 0.7, error=MirrorError("A: 503 Service Unavailable"))
    board.mirror("B", 2.3, answer="B's answer")
    board.mirror("C", NEVER, answer="C's answer")
    result, exc = await race(student, board, 30)
    await settle()
    assert (exc, result) == (None, "B's answer"), (
        f"mirror A failed at {START + 0.7:g} s and mirror B answered at {START + 2.3:g} s, but "
        f"first_answer {ended_with(result, exc)}: a failed mirror is not an answer; keep "
        f"waiting for the others and return the first good answer"
    )
    answered_at = board.times("answered")["B"]
    assert board.ended_at == answered_at, (
        f"mirror B answered at {answered_at:g} s but first_answer returned only at "
        f"{board.ended_at:g} s: wait for the first of the mirrors to finish (asyncio.wait "
        f"with FIRST_COMPLETED), not for all of them, nor by checking on them now and then"
    )
    problem = left_running(board, "when first_answer returned")
    assert problem is None, problem


@pytest.mark.points(1)
async def test_losers_are_cancelled_and_waited_for(student):
    board = Board()
    board.mirror("slow", NEVER, answer="slow's answer", cleanup=0.8)
    board.mirror("fast", 1.5, answer="fast's answer")
    board.mirror("slower", NEVER, answer="slower's answer", cleanup=1.3 + 1 / 7)
    result, exc = await race(student, board, 30)
    await settle()
    assert (exc, result) == (None, "fast's answer"), (
        f"mirror 'fast' answered at {START + 1.5:g} s, but first_answer "
        f"{ended_with(result, exc)}: return the first answer that arrives"
    )
    problem = left_running(board, "when first_answer returned")
    assert problem is None, problem
    cancelled = board.times("cancelled")
    answered_at = board.times("answered")["fast"]
    assert cancelled == {"slow": answered_at, "slower": answered_at}, (
        f"mirror 'fast' answered at {answered_at:g} s; the others should be cancelled at that "
        f"very moment (the mirrors saw: {board.story()})"
    )
    last_stopped = max(board.times("stopped").values())
    assert board.ended_at == last_stopped, (
        f"the last loser finished its cleanup at {last_stopped:g} s, but first_answer returned "
        f"only at {board.ended_at:g} s: wait for the cancelled mirrors themselves (gather or "
        f"asyncio.wait on their tasks), so that you return the moment they have finished"
    )


@pytest.mark.points(1)
async def test_all_failing_carries_every_error_in_mirror_order(student):
    board = Board()
    errors = [MirrorError("X: connection refused"), MirrorError("Y: 500 Internal Server Error"),
              MirrorError("Z: malformed reply")]
    for name, delay, error in zip("XYZ", [2.2, 0.4, 1.1], errors, strict=True):
        board.mirror(name, delay, error=error)
    result, exc = await race(student, board, 30)
    await settle()
    assert isinstance(exc, student.AllMirrorsFailed), (
        f"all three mirrors failed (Y at {START + 0.4:g} s, Z at {START + 1.1:g} s, X at "
        f"{START + 2.2:g} s), and first_answer {ended_with(result, exc)}: once every mirror "
        f"has failed, raise AllMirrorsFailed with their errors"
    )
    got = getattr(exc, "errors", None)
    same = isinstance(got, list) and [id(g) for g in got] == [id(e) for e in errors]
    assert same, (
        f"AllMirrorsFailed.errors was {got!r}; it should be a list of the exceptions the "
        f"mirrors raised (the exception objects themselves), in the order of `mirrors` "
        f"(X, Y, Z), not in the order they failed"
    )
    last_failure = board.times("failed")["X"]
    assert board.ended_at == last_failure, (
        f"the last mirror failed at {last_failure:g} s but AllMirrorsFailed came at "
        f"{board.ended_at:g} s: raise it the moment the last mirror has failed"
    )


@pytest.mark.points(1)
async def test_deadline_is_exact_even_after_a_failure(student):
    board = Board()
    board.mirror("A", 1.0, error=MirrorError("A: 404 Not Found"))
    board.mirror("B", NEVER, answer="B's answer", cleanup=0.6)
    board.mirror("C", NEVER, answer="C's answer")
    timeout = 4.5
    result, exc = await race(student, board, timeout)
    await settle()
    deadline = board.started_at + timeout
    assert isinstance(exc, TimeoutError), (
        f"no mirror answered within the {timeout:g} s timeout (first_answer was called at "
        f"{START:g} s), and first_answer {ended_with(result, exc)}: raise TimeoutError (what "
        f"`asyncio.timeout` raises) when the time is up"
    )
    cancelled = board.times("cancelled")
    assert cancelled == {"B": deadline, "C": deadline}, (
        f"first_answer was called at {START:g} s with a {timeout:g} s timeout, so the mirrors "
        f"still running should be cancelled at exactly {deadline:g} s; the mirrors saw: "
        f"{board.story()}. The timeout covers the whole call, once: a timeout that starts again "
        f"after each failure, or a deadline taken as a clock reading, is wrong"
    )
    problem = left_running(board, "when first_answer raised TimeoutError")
    assert problem is None, problem
    last_stopped = max(board.times("stopped").values())
    assert board.ended_at == last_stopped, (
        f"the last mirror finished its cleanup at {last_stopped:g} s, but TimeoutError came "
        f"only at {board.ended_at:g} s: raise it the moment the mirrors have finished"
    )


@pytest.mark.points(1)
async def test_a_timeout_leaves_the_caller_uncancelled(student):
    board = Board()
    board.mirror("A", NEVER, answer="A's answer")
    board.mirror("B", NEVER, answer="B's answer")
    await asyncio.sleep(START - now())
    seen = {}

    async def caller():
        try:
            await run_first(student, board, 2.5)
        except TimeoutError:
            seen["timed out"] = True
        seen["cancelling"] = asyncio.current_task().cancelling()
        await asyncio.sleep(1)  # the caller carries on: a cancellation left pending would hit here
        return "carried on"

    task = asyncio.create_task(caller())
    await asyncio.wait({task}, timeout=DEADLINE)
    try:
        assert task.done(), "first_answer was still running long after its 2.5 s timeout"
        assert seen.get("timed out"), (
            f"neither mirror answered within the 2.5 s timeout, and first_answer did not raise "
            f"TimeoutError (the mirrors saw: {board.story()})"
        )
        assert (seen["cancelling"], task.cancelled()) == (0, False), (
            f"after first_answer raised TimeoutError, its caller still had "
            f"{seen['cancelling']} cancellation request(s) pending (`cancelling()`), as if "
            f"someone had cancelled it: a timeout must not leave the caller cancelled. "
            f"`asyncio.timeout` takes its own cancellation back (uncancel) when it turns it "
            f"into TimeoutError; a hand-made one must do the same"
        )
    finally:
        task.cancel()
        await asyncio.wait({task})
        await settle()


# -- the caller's cancellation -------------------------------------------------------------------


def three_mirror_race(student):
    """A race with a failure, a winner, and a loser that takes a while to clean up."""
    board = Board()
    board.mirror("A", 0.5, error=MirrorError("A: 502 Bad Gateway"))
    board.mirror("B", NEVER, answer="B's answer", cleanup=0.9)
    board.mirror("C", 1.25, answer="C's answer")
    return run_first(student, board, 30), board


@pytest.mark.points(1)
async def test_cancelled_at_every_await_stops_every_mirror_and_propagates(student):
    await asyncio.sleep(START - now())
    runs = await cancel_at_each_await(lambda: three_mirror_race(student), wait=DEADLINE)
    await settle()
    for run in runs:
        board = run.context
        when = (f"When the task running first_answer was cancelled at its await #{run.point}"
                if run.reached else "When first_answer was not cancelled")
        assert not run.hung, (
            f"{when}, {run.describe()} (the mirrors saw: {board.story()}). A cancellation aimed "
            f"at first_answer's caller must propagate: never swallow CancelledError (a "
            f"CancelledError from `await task` on a mirror you cancelled looks the same as yours)"
        )
        problem = left_running(board, f"{when} and it ended")
        assert problem is None, (
            f"{problem}. If you are cancelled while waiting for the mirrors you stopped, keep "
            f"waiting for them: a bare `asyncio.wait` raises your CancelledError at once and "
            f"leaves them running, while `gather` waits for them all before raising it"
        )
        if run.reached:
            assert run.cancelled, (
                f"{when}, {run.describe()} (the mirrors saw: {board.story()}). Stop the mirrors, "
                f"wait for them, then let the CancelledError propagate so the caller ends "
                f"cancelled, wherever it landed, while waiting for the losers too. A "
                f"CancelledError caught around `await` on a mirror you cancelled may be your "
                f"own; it is not a timeout either"
            )
        else:
            assert (run.exception, run.result) == (None, "C's answer"), (
                f"{when}, {run.describe()}; it should return \"C's answer\""
            )


@pytest.mark.points(1)
async def test_callers_cancellation_is_neither_an_answer_nor_a_timeout(student):
    board = Board()
    board.mirror("A", NEVER, answer="A's answer", cleanup=0.4)
    board.mirror("B", NEVER, answer="B's answer", cleanup=0.4)
    await asyncio.sleep(START - now())
    asked = asyncio.Event()
    board.log = _SignallingLog(asked, "asked", 2)
    task = await run_cancelled_after(lambda: run_first(student, board, 30), asked, wait=DEADLINE)
    await settle()
    outcome = ("ended cancelled" if task.cancelled()
               else ended_with(*((task.result(), None) if task.exception() is None
                                 else (None, task.exception()))))
    problem = left_running(board, "when first_answer ended after its caller was cancelled")
    assert problem is None, problem
    assert task.cancelled(), (
        f"the task running first_answer was cancelled while both mirrors were working, and it "
        f"{outcome}: a cancellation from the caller is neither an answer nor a timeout; stop the "
        f"mirrors, wait for them, and let the CancelledError propagate"
    )


class _SignallingLog(EventLog):
    """An EventLog that sets ``event`` once ``count`` events named ``name`` were logged."""

    def __init__(self, event: asyncio.Event, name: str, count: int) -> None:
        super().__init__()
        self._event, self._name, self._count = event, name, count

    def __call__(self, *event) -> None:
        super().__call__(*event)
        if self.count(self._name) >= self._count:
            self._event.set()
