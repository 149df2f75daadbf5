"""Cancel a coroutine at each of its suspension points in turn, and report how each run ended.

A coroutine is only cancellable where it suspends (each ``await`` that actually yields to the loop).
``cancel_at_each_await(factory)`` runs ``factory()`` once per suspension point k = 1, 2, 3, ...: the
k-th time the coroutine suspends, the task is cancelled right there (``Task.cancel()`` is called
from inside the task's own step, so the CancelledError lands on exactly that await, whatever else
is ready in the loop). Then it waits for the task with ``asyncio.wait`` and a timeout, never
``await task`` inside a timeout, which would hang on a student who swallows the cancellation.
It stops after the first run in which the coroutine finished before reaching point k.

Example::

    async def test_cleanup_runs_wherever_cancelled(student):
        def scenario():
            conn = FakeConnection()
            return student.stream_updates(conn, updates(3)), conn
        for run in await cancel_at_each_await(scenario):
            assert run.cancelled, f"cancelled at await #{run.point}, {run.describe()}"
            assert run.context.closed == 1
"""

from __future__ import annotations

import asyncio
import contextlib
import types
from collections.abc import Awaitable, Callable, Coroutine, Generator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CancelRun:
    """How one run ended after being cancelled at suspension point ``point`` (1-based)."""

    point: int
    reached: bool  # False: it finished before suspending ``point`` times (the last run)
    cancelled: bool = False
    result: Any = None
    exception: BaseException | None = None
    hung: bool = False  # still running after the wait: it swallowed the cancellation
    context: Any = None  # whatever the factory returned beside the coroutine
    suspensions: int = 0
    events: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """In words: 'it ended cancelled', 'it returned 3', 'it raised ValueError(...)'."""
        if self.hung:
            return "it swallowed the cancellation and kept running"
        if self.cancelled:
            return "it ended cancelled"
        if self.exception is not None:
            return f"it raised {type(self.exception).__name__}({self.exception})"
        return f"it returned {self.result!r} instead of ending cancelled"


class _Counter:
    def __init__(self, cancel_at: int | None) -> None:
        self.cancel_at = cancel_at
        self.suspensions = 0
        self.task: asyncio.Task | None = None


@types.coroutine
def _counting(coro: Coroutine[Any, Any, Any], counter: _Counter) -> Generator[Any, Any, Any]:
    """Drive ``coro`` like a task would, counting every time it suspends."""
    counter.task = asyncio.current_task()
    to_send: Any = None
    to_throw: BaseException | None = None
    try:
        while True:
            try:
                if to_throw is not None:
                    exc, to_throw = to_throw, None
                    yielded = coro.throw(exc)
                else:
                    yielded = coro.send(to_send)
            except StopIteration as stop:
                return stop.value
            counter.suspensions += 1
            if counter.suspensions == counter.cancel_at and counter.task is not None:
                # Called during the task's own step: the task cancels what we are about to
                # yield, so the CancelledError arrives at exactly this suspension point.
                counter.task.cancel()
            try:
                to_send = yield yielded
            except BaseException as exc:
                to_throw = exc
    finally:
        coro.close()


async def _driven(coro: Coroutine[Any, Any, Any], counter: _Counter) -> Any:
    # A native coroutine around the generator-based driver: 3.12+ tasks only take native ones.
    return await _counting(coro, counter)


def _split(made: Any) -> tuple[Coroutine[Any, Any, Any], Any]:
    if isinstance(made, tuple):
        return made[0], made[1]
    return made, None


async def count_suspensions(factory: Callable[[], Any], *, wait: float = 60.0) -> tuple[int, Any]:
    """Run ``factory()`` to completion; return how many times it suspended and its result."""
    coro, _ = _split(factory())
    counter = _Counter(None)
    task = asyncio.ensure_future(_driven(coro, counter))
    done, _ = await asyncio.wait({task}, timeout=wait)
    if not done:
        task.cancel()
        await asyncio.wait({task}, timeout=1)
        raise AssertionError(f"the coroutine did not finish within {wait} s")
    return counter.suspensions, task.result()


async def cancel_at_each_await(
    factory: Callable[[], Coroutine[Any, Any, Any] | tuple[Coroutine[Any, Any, Any], Any]],
    *,
    wait: float = 30.0,
    max_points: int = 500,
) -> list[CancelRun]:
    """Cancel a fresh ``factory()`` at its 1st, 2nd, ... suspension point; return every run.

    ``factory`` returns a coroutine, or ``(coroutine, context)`` where context (the test doubles it
    drives) is handed back in ``CancelRun.context``. The last run is the one that finished before
    being cancelled (``reached=False``). ``wait`` bounds how long a cancelled task may take to end
    (virtual seconds under the grading loop, so a task that swallows cancellation costs nothing).
    """
    runs: list[CancelRun] = []
    for point in range(1, max_points + 1):
        coro, context = _split(factory())
        counter = _Counter(point)
        task = asyncio.ensure_future(_driven(coro, counter))
        await asyncio.wait({task}, timeout=wait)
        run = CancelRun(
            point=point,
            reached=counter.suspensions >= point,
            context=context,
            suspensions=counter.suspensions,
        )
        if not task.done():
            run.hung = True
            await _force_stop(task)
        elif task.cancelled():
            run.cancelled = True
        elif task.exception() is not None:
            run.exception = task.exception()
        else:
            run.result = task.result()
        runs.append(run)
        if not run.reached or run.hung:
            return runs  # finished before point k, or the verdict is known: it ignores cancelling
    raise AssertionError(f"still suspending after {max_points} points: is it an endless loop?")


def abandon(task: asyncio.Task) -> None:
    """Stop a task that swallowed its cancellation: close its coroutine so it can never run again.

    Closing throws GeneratorExit at its await (its ``finally`` blocks run); the cancel() then wakes
    the task, which finds the coroutine closed and ends with a RuntimeError that is ours to discard.
    """
    # "coroutine ignored GeneratorExit" is a RuntimeError: the coroutine is stopped all the same.
    with contextlib.suppress(RuntimeError):
        task.get_coro().close()
    task.cancel()


def discard_outcome(task: asyncio.Task) -> None:
    """Mark a finished task's exception as retrieved, so asyncio does not report it later."""
    if task.done() and not task.cancelled():
        task.exception()


async def _force_stop(task: asyncio.Task) -> None:
    abandon(task)
    await asyncio.wait({task}, timeout=1)
    discard_outcome(task)


async def run_cancelled_after(
    awaitable_factory: Callable[[], Awaitable[Any]], ready: asyncio.Event, *, wait: float = 30.0
) -> asyncio.Task:
    """Start a task, wait until the test double sets ``ready``, cancel it, and wait for it to end.

    Returns the finished (or, if it swallowed the cancellation, force-stopped) task. For tests that
    cancel at one chosen point rather than at every point.
    """
    task = asyncio.ensure_future(awaitable_factory())
    ready_wait = asyncio.ensure_future(ready.wait())
    await asyncio.wait({task, ready_wait}, return_when=asyncio.FIRST_COMPLETED, timeout=wait)
    if not ready_wait.done():
        ready_wait.cancel()
        await asyncio.wait({ready_wait})
    task.cancel()
    await asyncio.wait({task}, timeout=wait)
    if not task.done():
        await _force_stop(task)
    return task
