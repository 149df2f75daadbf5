"""What the event loop does: drive coroutines by hand, with no event loop at all.

Reference solution. ``Pause`` is the smallest custom awaitable (``await Pause()`` suspends once, like
``asyncio.sleep(0)``); ``run`` drives one coroutine to its end; ``throw_in`` throws an exception in at
its first suspension; ``round_robin`` steps several coroutines in turn, as an event loop does.
"""

from __future__ import annotations

from collections.abc import Coroutine, Generator
from typing import Any


class Pause:
    """``await Pause()`` suspends the awaiting coroutine once, handing control back to its driver."""

    def __await__(self) -> Generator[None, None, None]:
        # `await` calls __await__ and runs the iterator it returns; every value that iterator
        # yields travels up through every awaiting frame, out of the driver's `send()`. A
        # generator function returns a fresh iterator on every call, so the same Pause can be
        # awaited again and suspends again. Yielding None is what `asyncio.sleep(0)` does: an
        # asyncio Task takes a bare None as "let the others run, then resume me".
        yield


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Drive ``coro`` to its end with ``send(None)`` and return its return value."""
    while True:
        try:
            coro.send(None)  # runs the coroutine up to its next suspension (or its end)
        except StopIteration as stop:
            # `return value` in a coroutine ends it with StopIteration(value): the value rides on
            # the exception. Any other exception from send() is the coroutine's own: let it out.
            return stop.value


def throw_in(coro: Coroutine[Any, Any, Any], exc: BaseException) -> Any:
    """Start ``coro``, throw ``exc`` in at its first suspension, then drive it to its end."""
    try:
        coro.send(None)
    except StopIteration as stop:
        # It finished without suspending: there is no `await` to throw into.
        return stop.value
    try:
        # throw() raises exc *at the await where the coroutine is suspended*, so its own
        # try/except/finally around that await see it. Throwing into a coroutine that has not
        # started would raise exc before the first line of its body, outside every try.
        coro.throw(exc)
    except StopIteration as stop:
        return stop.value  # it handled exc and returned
    # It handled exc and suspended again: it is an ordinary suspended coroutine now. An
    # exception it does not handle propagates out of throw() above, unchanged, to our caller.
    return run(coro)


def round_robin(coros: list[Coroutine[Any, Any, Any]]) -> list[Any]:
    """Step each coroutine once in turn until all have finished; their results in input order."""
    results: list[Any] = [None] * len(coros)
    # Indices, not the caller's list: removing from a list while looping over it skips the item
    # after each removal, and the caller's list is not ours to change.
    pending = list(range(len(coros)))
    try:
        while pending:
            still_pending = []
            for i in pending:
                try:
                    coros[i].send(None)
                except StopIteration as stop:
                    results[i] = stop.value  # finished: record by position, drop out of the turn
                else:
                    still_pending.append(i)
            pending = still_pending
    except BaseException:
        # One coroutine raised (it is finished): close the others now, so their finally blocks
        # run here and not whenever the garbage collector gets to them. close() throws
        # GeneratorExit in at the suspended await; on a coroutine that never started it simply
        # marks it closed (and so it is not reported as "never awaited").
        for coro in coros:
            coro.close()  # a finished coroutine ignores close()
        raise
    return results
