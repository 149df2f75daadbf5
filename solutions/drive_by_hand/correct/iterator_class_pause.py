"""Pause as an iterator class with a fresh iterator per await; drivers built on one `step` helper.

Correct variant: `__await__` returns a new `_PauseIterator` each time (so the same Pause awaited
twice suspends twice); `step()` turns one send/throw into (finished, value), and `run`, `throw_in`
and `round_robin` are written with it; the scheduler keeps a list of unfinished indices.
"""


class _PauseIterator:
    """Yields None once, then stops: one suspension."""

    def __init__(self):
        self._yielded = False

    def __iter__(self):
        return self

    def __next__(self):
        if self._yielded:
            raise StopIteration
        self._yielded = True
        return None


class Pause:
    """`await Pause()` suspends once."""

    def __await__(self):
        return _PauseIterator()


def step(coro, exc=None):
    """Resume `coro` once (with `exc` thrown in, if given): (True, value) if it finished."""
    try:
        if exc is None:
            coro.send(None)
        else:
            coro.throw(exc)
    except StopIteration as stop:
        return True, stop.value
    return False, None


def run(coro):
    """Drive `coro` to its end; return its value."""
    finished, value = step(coro)
    while not finished:
        finished, value = step(coro)
    return value


def throw_in(coro, exc):
    """Throw `exc` in at the first suspension, then drive `coro` to its end."""
    finished, value = step(coro)
    if finished:
        return value
    finished, value = step(coro, exc)
    while not finished:
        finished, value = step(coro)
    return value


def round_robin(coros):
    """Step each unfinished coroutine once per round; results in input order."""
    results = [None] * len(coros)
    unfinished = list(range(len(coros)))
    try:
        while unfinished:
            for i in list(unfinished):  # iterate over a copy: removing from it is safe
                finished, value = step(coros[i])
                if finished:
                    results[i] = value
                    unfinished.remove(i)
    except Exception:
        for i in unfinished:
            coros[i].close()
        raise
    return results
