"""What the event loop does: drive coroutines by hand, with send(), throw() and close().

Goal: no asyncio here. Write the machinery an event loop is made of:

- `Pause`: a custom awaitable; `await Pause()` suspends the awaiting coroutine exactly once,
  handing control back to whoever is driving it (as `await asyncio.sleep(0)` does);
- `run(coro)`: drive one coroutine to its end with `coro.send(None)` and return its return value;
- `throw_in(coro, exc)`: start `coro`, throw `exc` into it where it first suspends, then drive it
  to its end: return its value if it handles `exc`, let the exception out if it does not;
- `round_robin(coros)`: step every coroutine once in turn, round after round, until all have
  finished; return their results in input order.

Each is a first try that runs, but gets the protocol wrong. See README.md for the exact contract.
"""


class Pause:
    """`await Pause()` suspends the awaiting coroutine once."""

    def __await__(self):
        # TODO: `await` runs the iterator that __await__ returns, and every value it yields
        #       suspends the coroutine. This one is empty, so nothing ever suspends: yield once.
        return iter([])


def run(coro):
    """Drive `coro` to its end with send(None); return what it returned."""
    # TODO: one send(None) only runs the coroutine up to its first suspension. Keep sending
    #       until it finishes, and return the value it finished with.
    try:
        coro.send(None)
    except StopIteration:
        return None
    return None


def throw_in(coro, exc):
    """Start `coro`, throw `exc` in at its first suspension, drive it to its end; return its value."""
    # TODO: throwing into a coroutine that has not started raises `exc` before its first line,
    #       outside any try/except it has. Start it first; then, if it handles `exc`, it may
    #       suspend again or return.
    coro.throw(exc)
    return run(coro)


def round_robin(coros):
    """Step each coroutine once in turn until all have finished; return their results in order."""
    # TODO: this runs each coroutine to its end before starting the next one: nothing takes turns.
    #       Also decide what happens to the others when one of them raises (see README.md).
    return [run(coro) for coro in coros]
