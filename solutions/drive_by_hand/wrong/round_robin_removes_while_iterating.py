"""Removes a finished coroutine from the list it is looping over, so the next one loses its turn.

Caught by: test_round_robin_takes_turns, test_round_robin_early_finishers_drop_out
"""


class Pause:
    def __await__(self):
        yield


def run(coro):
    while True:
        try:
            coro.send(None)
        except StopIteration as stop:
            return stop.value


def throw_in(coro, exc):
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
    results = {}
    pending = list(coros)
    try:
        while pending:
            for coro in pending:
                try:
                    coro.send(None)
                except StopIteration as stop:
                    results[id(coro)] = stop.value
                    pending.remove(coro)  # shifts the next coroutine into this slot: it is skipped
    except BaseException:
        for coro in coros:
            coro.close()
        raise
    return [results[id(coro)] for coro in coros]
