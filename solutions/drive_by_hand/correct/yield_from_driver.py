"""`run` as a for loop over a generator that delegates with `yield from`; Pause returns iter([None]).

Correct variant: a coroutine's `__await__()` is an iterator, so `yield from` in a plain generator
forwards every suspension and receives the return value; a `for` loop then drives it. `Pause`
returns a fresh list iterator that yields None once. `round_robin` keeps the unfinished coroutines
in a dict keyed by position and closes the rest in reverse on an error.
"""


class Pause:
    """`await Pause()` suspends once."""

    def __await__(self):
        return iter([None])


def run(coro):
    """Drive `coro` to its end; return its value."""
    box = []

    def delegate():
        box.append((yield from coro.__await__()))

    for _ in delegate():
        pass  # each iteration is one suspension; nothing to do between them
    return box[0]


def throw_in(coro, exc):
    """Throw `exc` in at the first suspension, then drive `coro` to its end."""
    try:
        coro.send(None)
        coro.throw(exc)
    except StopIteration as stop:
        return stop.value
    return run(coro)


def round_robin(coros):
    """Step each unfinished coroutine once per round; results in input order."""
    results = [None] * len(coros)
    alive = dict(enumerate(coros))
    try:
        while alive:
            for i, coro in list(alive.items()):
                try:
                    coro.send(None)
                except StopIteration as stop:
                    results[i] = stop.value
                    del alive[i]
    except BaseException:
        for coro in reversed(alive.values()):
            coro.close()
        raise
    return results
