"""A deque-based scheduler that rotates (index, coroutine) pairs, as an event loop's ready queue.

Correct variant: `round_robin` pops a coroutine from the left, steps it, and appends it again on the
right unless it finished; on an error it closes what is still queued (in queue order, not input
order). `Pause` is a generator-based `__await__`; `throw_in` finishes through `run`.
"""

from collections import deque


class Pause:
    """`await Pause()` suspends once."""

    def __await__(self):
        yield


def run(coro):
    """Drive `coro` to its end; return its value."""
    while True:
        try:
            coro.send(None)
        except StopIteration as stop:
            return stop.value


def throw_in(coro, exc):
    """Throw `exc` in at the first suspension, then drive `coro` to its end."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    try:
        coro.throw(exc)
    except StopIteration as stop:
        return stop.value
    return run(coro)


def round_robin(coros):
    """One step per turn for the coroutine at the head of the queue; results in input order."""
    results = [None] * len(coros)
    ready = deque(enumerate(coros))
    while ready:
        i, coro = ready.popleft()
        try:
            coro.send(None)
        except StopIteration as stop:
            results[i] = stop.value
        except BaseException:
            while ready:
                ready.pop()[1].close()  # from the right: any order will do
            raise
        else:
            ready.append((i, coro))
    return results
