"""Hidden grader for drive_by_hand: return values, exceptions in and out, Pause, the round-robin order.

No event loop drives the coroutines here (except in the one test that puts ``Pause`` on asyncio's
loop): the student's ``run``, ``throw_in`` and ``round_robin`` do. The coroutines are the grader's
own: every step they run is written to an ``EventLog`` (``a0`` is coroutine a's first step, ``a1``
its second, ...) and the log is compared as a whole. They suspend with the grader's own awaitable,
``Suspend``, so a mistake in the student's ``Pause`` fails the Pause tests only. ``Suspend`` yields
a token that is not None (a driver must not care what is yielded) and counts resumptions, so a
driver that keeps resuming fails fast instead of hanging. Every coroutine a test creates is closed
when the test ends, whatever the student's code did with it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from grader.testing import EventLog

pytestmark = [
    pytest.mark.exercise("drive_by_hand"),
    pytest.mark.timeout(10),
    # coro.throw(type, value) works everywhere but warns from Python 3.12 on: the same verdict on
    # every version (the README asks for the one-argument form).
    pytest.mark.filterwarnings("ignore:the \\(type, exc, tb\\) signature of throw:DeprecationWarning"),
]

MAX_RESUMES = 200  # far more than any test needs: a driver past it is looping
MAX_SENDS = 20  # the grader's own driver, for Pause: no test awaits Pause more often than this


class GraderStepLimitError(Exception):
    """Raised inside a grader coroutine that was resumed far more often than any test needs."""


class JobFailedError(Exception):
    """What a grader coroutine raises on its own."""


class StopRequestedError(Exception):
    """What the tests throw into a coroutine with ``throw_in``."""


TOKEN = "<yielded by the grader's awaitable>"


class Suspend:
    """The grader's awaitable: ``await Suspend(budget)`` suspends exactly once."""

    def __init__(self, budget: list[int]) -> None:
        self.budget = budget

    def __await__(self) -> Iterator[str]:
        yield TOKEN
        self.budget[0] += 1
        if self.budget[0] > MAX_RESUMES:
            raise GraderStepLimitError(
                f"the grader's coroutines were resumed more than {MAX_RESUMES} times, far more than "
                f"they suspend: your driver keeps calling send() in a loop that never ends."
            )


class Scene:
    """A test's coroutines, their shared log and resumption budget; closes them all on exit."""

    def __init__(self) -> None:
        self.log = EventLog()
        self.budget = [0]
        self.coros: list[Coroutine[Any, Any, Any]] = []

    def suspend(self) -> Suspend:
        return Suspend(self.budget)

    def keep(self, coro: Coroutine[Any, Any, Any]) -> Coroutine[Any, Any, Any]:
        self.coros.append(coro)
        return coro

    def worker(self, name: str, suspensions: int, result: Any = None, *,
               fail_at: int | None = None, error: BaseException | None = None) -> Coroutine[Any, Any, Any]:
        """A coroutine that runs ``suspensions + 1`` steps (logging ``name, i``) and returns ``result``.

        With ``fail_at``, step ``fail_at`` raises ``error`` instead of going on.
        """
        return self.keep(self._worker(name, suspensions, result, fail_at, error))

    async def _worker(self, name: str, suspensions: int, result: Any, fail_at: int | None,
                      error: BaseException | None) -> Any:
        try:
            for i in range(suspensions + 1):
                self.log(name, i)
                if i == fail_at and error is not None:
                    raise error
                if i < suspensions:
                    await self.suspend()
            return result
        except GeneratorExit:
            self.log(name, "closed")
            raise

    def close_all(self) -> None:
        for coro in self.coros:
            coro.close()


@contextmanager
def scene() -> Iterator[Scene]:
    s = Scene()
    try:
        yield s
    finally:
        s.close_all()


def render(events: list[tuple[Any, ...]]) -> str:
    """``[('a', 0), ('a', 1, None), ('b', 'closed')]`` as ``a0 a1=None b:closed``."""
    words = []
    for name, *rest in events:
        if rest and isinstance(rest[0], int):
            words.append(f"{name}{rest[0]}" + "".join(f"={r!r}" for r in rest[1:]))
        else:
            words.append(":".join([str(name), *(r if isinstance(r, str) else repr(r) for r in rest)]))
    return " ".join(words) or "(nothing ran)"


def outcome(call: Callable[[], Any]) -> tuple[bool, Any]:
    """``(False, value)`` if ``call()`` returned, ``(True, exception)`` if it raised."""
    try:
        return False, call()
    except Exception as exc:
        return True, exc


def fail_if_reused(who: str, exc: RuntimeError, advice: str) -> None:
    """Explain "cannot reuse already awaited coroutine": a send() to a finished coroutine."""
    if "cannot reuse" in str(exc):
        pytest.fail(
            f"{who} called send() on a coroutine that had already finished, and Python raised "
            f"RuntimeError: {exc}. A finished coroutine cannot run again: {advice}.",
            pytrace=False,
        )


def _short(value: Any) -> str:
    return "None" if value is None else f"a {type(value).__name__} object"


def state(coro: Coroutine[Any, Any, Any]) -> str:
    return {
        inspect.CORO_CREATED: "never started",
        inspect.CORO_SUSPENDED: "suspended, not finished",
        inspect.CORO_RUNNING: "running",
        inspect.CORO_CLOSED: "finished",
    }[inspect.getcoroutinestate(coro)]


# -- run ----------------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_run_returns_value_after_any_number_of_suspensions(student):
    for suspensions, result in ((0, "instant"), (1, 0), (5, [1, 2]), (3, None)):
        with scene() as s:
            job = s.worker("job", suspensions, result)
            value = student.run(job)
            expected = [("job", i) for i in range(suspensions + 1)]
            assert s.log.events == expected, (
                f"run() on a coroutine that suspends {suspensions} time(s) ran the steps "
                f"{render(s.log.events)}; expected {render(expected)}. Keep calling send(None) until "
                f"the coroutine raises StopIteration: that, and only that, means it has finished."
            )
            assert (value, type(value)) == (result, type(result)), (
                f"run() returned {value!r} for a coroutine that returned {result!r}: the return "
                f"value travels on the StopIteration that ends the coroutine, as its `.value`."
            )
            assert state(job) == "finished", f"after run() returned, the coroutine was {state(job)}"


@pytest.mark.points(0.5)
def test_run_drives_through_nested_awaits(student):
    with scene() as s:

        async def outer() -> int:
            s.log("outer", "start")
            first = await s.worker("a", 2, 10)
            second = await s.worker("b", 1, 5)
            s.log("outer", "end")
            return first + second

        value = student.run(s.keep(outer()))
        expected = [("outer", "start"), ("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1), ("outer", "end")]
        assert s.log.events == expected, (
            f"run() on a coroutine that awaits two others ran {render(s.log.events)}; expected "
            f"{render(expected)}. A suspension deep inside an awaited coroutine comes out of the "
            f"outer coroutine's send(): keep sending until the outer one raises StopIteration."
        )
        assert value == 15, f"run() returned {value!r}; the outer coroutine returned 15"


@pytest.mark.points(0.5)
def test_run_lets_the_coroutines_exception_out(student):
    with scene() as s:
        error = JobFailedError("disk full")
        job = s.worker("job", 3, "never", fail_at=2, error=error)
        raised, got = outcome(lambda: student.run(job))
        if not raised:
            pytest.fail(
                f"the coroutine raised JobFailedError at its third step, but run() returned "
                f"{got!r}: an exception out of send() must reach run()'s caller (catch "
                f"StopIteration only).",
                pytrace=False,
            )
        if got is not error:
            pytest.fail(
                f"the coroutine raised JobFailedError at its third step, but run() raised "
                f"{type(got).__name__}: {got}. An exception out of send() is the coroutine's own: "
                f"let it propagate unchanged (catch StopIteration only).",
                pytrace=False,
            )
        expected = [("job", 0), ("job", 1), ("job", 2)]
        assert s.log.events == expected, (
            f"run() ran {render(s.log.events)}; expected {render(expected)}, then the exception"
        )


# -- Pause --------------------------------------------------------------------------------------


def drive_by_grader(coro: Coroutine[Any, Any, Any]) -> tuple[list[Any], Any]:
    """Drive ``coro`` with send(None): (what it yielded at each suspension, its return value)."""
    yielded: list[Any] = []
    while True:
        try:
            yielded.append(coro.send(None))
        except StopIteration as stop:
            return yielded, stop.value
        except TypeError as exc:
            if "__await__" in str(exc):
                pytest.fail(
                    f"`await Pause()` raised TypeError: {exc}. `await` calls `Pause().__await__()` "
                    f"and needs an iterator back: write `__await__` as a plain `def` containing "
                    f"`yield` (a generator), or return an iterator object.",
                    pytrace=False,
                )
            raise
        if len(yielded) > MAX_SENDS:
            pytest.fail(
                f"the coroutine was still suspending after {MAX_SENDS} sends, though it awaits "
                f"Pause() only a few times: each `await Pause()` must suspend exactly once.",
                pytrace=False,
            )


@pytest.mark.points(1)
def test_pause_suspends_once_per_await_in_any_frame(student):
    log = EventLog()

    async def inner() -> str:
        log("inner", 0)
        got = await student.Pause()
        log("inner", 1, got)
        await student.Pause()
        log("inner", 2)
        return "x"

    async def outer() -> str:
        log("outer", 0)
        value = await inner()
        log("outer", 1, value)
        pause = student.Pause()  # the same object, awaited twice
        await pause
        log("outer", 2)
        await pause
        log("outer", 3)
        return value * 2

    coro = outer()
    try:
        yielded, value = drive_by_grader(coro)
    finally:
        coro.close()
    expected = [("outer", 0), ("inner", 0), ("inner", 1, None), ("inner", 2), ("outer", 1, "x"),
                ("outer", 2), ("outer", 3)]
    assert log.events == expected, (
        f"a coroutine that awaits Pause() four times ran {render(log.events)}; expected "
        f"{render(expected)}: `await Pause()` itself evaluates to None (the value sent in)."
    )
    assert len(yielded) == 4, (
        f"a coroutine that awaits Pause() four times (twice in a coroutine it awaits, then the same "
        f"Pause object twice) suspended {len(yielded)} time(s); expected 4. Every `await Pause()` "
        f"must suspend exactly once: `await` calls `__await__()` every time, so return a fresh "
        f"iterator that yields once (a generator function does that by itself)."
    )
    assert yielded == [None] * 4, (
        f"`await Pause()` yielded {', '.join(_short(y) for y in yielded)} to the driver; it must "
        f"yield None, as "
        f"`asyncio.sleep(0)` does (an asyncio Task reads a bare None as 'let the others run')."
    )
    assert value == "xx", f"the coroutine returned {value!r}; expected 'xx'"


@pytest.mark.points(0.5)
async def test_pause_lets_asyncio_tasks_take_turns(student):
    log = EventLog()

    async def worker(name: str) -> None:
        for i in range(3):
            log(name, i)
            await student.Pause()

    try:
        async with asyncio.timeout(10):
            await asyncio.gather(worker("a"), worker("b"))
    except TimeoutError:
        pytest.fail(
            "on asyncio's loop, two tasks that each await Pause() three times were still running "
            "after 10 s (simulated): each `await Pause()` must suspend once, then let the task go on.",
            pytrace=False,
        )
    except (RuntimeError, TypeError) as exc:
        pytest.fail(
            f"on asyncio's loop, `await Pause()` made the task fail: {type(exc).__name__}: {exc}. An "
            f"asyncio Task accepts a bare None from a yield (it means 'resume me after the "
            f"others'): `__await__` must return an iterator that yields None once.",
            pytrace=False,
        )
    expected = [("a", 0), ("b", 0), ("a", 1), ("b", 1), ("a", 2), ("b", 2)]
    assert log.events == expected, (
        f"two asyncio tasks that each log a step and then `await Pause()` ran {render(log.events)}; "
        f"expected {render(expected)}. Each `await Pause()` must hand control back to the loop, "
        f"which runs the other task before resuming this one, as `await asyncio.sleep(0)` does."
    )


# -- throw_in -----------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_throw_in_returns_what_the_coroutine_returns_after_handling(student):
    for more in (0, 2):
        with scene() as s:
            error = StopRequestedError("stop, please")

            async def handler(more: int = more, s: Scene = s) -> str:
                s.log("job", 0)
                try:
                    await s.suspend()
                    s.log("job", "resumed without the exception")
                except StopRequestedError as exc:
                    s.log("job", "caught", exc)
                for i in range(1, more + 1):
                    await s.suspend()
                    s.log("job", i)
                return f"stopped after {more}"

            try:
                value = student.throw_in(s.keep(handler()), error)
            except RuntimeError as exc:
                fail_if_reused("throw_in()", exc, "when throw() raises StopIteration, the "
                               "coroutine has returned: return `stop.value`")
                raise
            except StopRequestedError:
                pytest.fail(
                    f"throw_in() let the exception out, though the coroutine catches it at its first "
                    f"`await` (it ran {render(s.log.events)}). Throwing into a coroutine that has "
                    f"not started raises the exception before its first line, outside its "
                    f"try/except: start it with send(None) first, then throw().",
                    pytrace=False,
                )
            expected = [("job", 0), ("job", "caught", error), *(("job", i) for i in range(1, more + 1))]
            what = ("then returns" if more == 0 else
                    f"then suspends {more} more time(s) before it returns")
            assert s.log.events == expected, (
                f"throw_in() on a coroutine that catches the exception at its first `await` and "
                f"{what} ran {render(s.log.events)}; expected {render(expected)}. Start the "
                f"coroutine with send(None), throw() the exception in where it is suspended, and if "
                f"it handles it and suspends again, keep driving it to its end as run() does."
            )
            assert value == f"stopped after {more}", (
                f"throw_in() returned {value!r}; the coroutine returned {f'stopped after {more}'!r} "
                f"after handling the exception (the value rides on StopIteration, from throw() or "
                f"a later send())"
            )


@pytest.mark.points(0.5)
def test_throw_in_coroutine_that_never_suspends(student):
    with scene() as s:
        job = s.worker("job", 0, "done at once")
        try:
            value = student.throw_in(job, StopRequestedError("too late"))
        except StopRequestedError:
            pytest.fail(
                "throw_in() raised the exception, but the coroutine finished at its first send() "
                "without ever suspending: there was no `await` to throw it into, so return the "
                "coroutine's value instead.",
                pytrace=False,
            )
        assert s.log.events == [("job", 0)], f"throw_in() ran {render(s.log.events)}; expected job0"
        assert value == "done at once", (
            f"throw_in() returned {value!r}; the coroutine returned 'done at once' without "
            f"suspending (its StopIteration from the first send() carries it)"
        )


@pytest.mark.points(1)
def test_throw_in_lets_an_unhandled_exception_out(student):
    with scene() as s:
        error = StopRequestedError("stop now")

        async def job() -> str:
            s.log("job", 0)
            try:
                await s.suspend()
                s.log("job", 1)
                await s.suspend()
                s.log("job", 2)
            finally:
                s.log("job", "finally")
            return "finished normally"

        coro = s.keep(job())
        raised, got = outcome(lambda: student.throw_in(coro, error))
        if not raised:
            pytest.fail(
                f"the coroutine does not handle StopRequestedError, yet throw_in() returned "
                f"{got!r}: when the coroutine lets the exception out, throw() raises it, and "
                f"throw_in() must not catch it.",
                pytrace=False,
            )
        if got is not error:
            pytest.fail(
                f"the coroutine does not handle StopRequestedError, but throw_in() raised "
                f"{type(got).__name__}: {got}; let the exception that throw() raises propagate "
                f"unchanged.",
                pytrace=False,
            )
        expected = [("job", 0), ("job", "finally")]
        assert s.log.events == expected, (
            f"throw_in() ran {render(s.log.events)}; expected {render(expected)}: the exception "
            f"must arrive at the coroutine's first `await` (where its finally block is waiting), "
            f"so start it with send(None) before calling throw()."
        )
        assert state(coro) == "finished", f"after throw_in() the coroutine was {state(coro)}"


# -- round_robin --------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_round_robin_early_finishers_drop_out(student):
    with scene() as s:
        coros = [s.worker("a", 3, "A"), s.worker("b", 0, 0), s.worker("c", 1, None), s.worker("d", 2, "D")]
        given = list(coros)
        try:
            results = student.round_robin(coros)
        except RuntimeError as exc:
            fail_if_reused("round_robin()", exc, "once a coroutine raises StopIteration, record "
                           "its value and leave it out of later rounds")
            raise
        expected = [("a", 0), ("b", 0), ("c", 0), ("d", 0),
                    ("a", 1), ("c", 1), ("d", 1),
                    ("a", 2), ("d", 2),
                    ("a", 3)]
        assert s.log.events == expected, (
            f"round_robin() over coroutines a, b, c, d that suspend 3, 0, 1 and 2 times ran "
            f"{render(s.log.events)}; expected {render(expected)}. In each round, step every "
            f"coroutine that has not finished once, in input order; one that finishes drops out of "
            f"later rounds, and the others must not lose their turn because of it."
        )
        assert results == ["A", 0, None, "D"], (
            f"round_robin() returned {results!r}; expected ['A', 0, None, 'D']: each coroutine's "
            f"return value at its position in the input, not in the order they finished."
        )
        assert coros == given, "round_robin() changed the list it was given: work on your own copy"
    assert student.round_robin([]) == [], "round_robin([]) must return []"


@pytest.mark.points(1)
def test_round_robin_error_propagates_and_closes_the_others(student):
    with scene() as s:
        error = JobFailedError("b broke")
        coros = [s.worker("a", 3, "A"), s.worker("b", 3, "B", fail_at=1, error=error),
                 s.worker("c", 3, "C"), s.worker("d", 0, "D")]
        _expect_raise(student, coros, error, "b raised JobFailedError at its second step")
        ran = [e for e in s.log.events if e[1] != "closed"]
        closed = sorted(e for e in s.log.events if e[1] == "closed")
        expected_ran = [("a", 0), ("b", 0), ("c", 0), ("d", 0), ("a", 1), ("b", 1)]
        assert ran == expected_ran, (
            f"round_robin() over a, b, c, d (b raises at its second step) ran {render(ran)}; "
            f"expected {render(expected_ran)}, and then no more steps: the exception ends the run."
        )
        assert closed == [("a", "closed"), ("c", "closed")], (
            f"when b raised, a and c were suspended half-way; round_robin() closed "
            f"{', '.join(name for name, _ in closed) or 'none of them'}. Before the exception "
            f"leaves round_robin(), close() every coroutine that has not finished, so its "
            f"cleanup (finally blocks) runs now, not when the garbage collector gets to it."
        )
        states = {name: state(c) for name, c in zip("abcd", coros, strict=True)}
        assert set(states.values()) == {"finished"}, (
            f"after round_robin() raised, the coroutines were {states}: all must be finished "
            f"(closed)"
        )

    with scene() as s:
        error = JobFailedError("x broke at once")
        coros = [s.worker("x", 2, fail_at=0, error=error), s.worker("y", 2)]
        _expect_raise(student, coros, error, "x raised JobFailedError at its first step")
        assert s.log.events == [("x", 0)], (
            f"round_robin() over x, y (x raises at its first step) ran {render(s.log.events)}; "
            f"expected x0 only"
        )
        assert state(coros[1]) == "finished", (
            f"when x raised, y had not started yet, and round_robin() left it {state(coros[1])}: "
            f"close() it too (closing a coroutine that never started just marks it finished; "
            f"left alone, it is reported as 'never awaited')."
        )


def _expect_raise(student: Any, coros: list[Any], error: BaseException, what: str) -> None:
    raised, got = outcome(lambda: student.round_robin(coros))
    if not raised:
        pytest.fail(
            f"{what}, but round_robin() returned {got!r}: the exception must reach its "
            f"caller (after the others are closed).",
            pytrace=False,
        )
    if got is not error:
        pytest.fail(
            f"{what}, but round_robin() raised {type(got).__name__}: {got}. Let the coroutine's "
            f"exception propagate unchanged (after closing the others).",
            pytrace=False,
        )
