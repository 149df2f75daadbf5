"""Loops while every coroutine is still running: when the first one finishes, the rest are abandoned.

Caught by: test_round_robin_early_finishers_drop_out, test_round_robin_error_propagates_and_closes_the_others
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
    results = [None] * len(coros)
    running = True
    try:
        while running:
            for i, coro in enumerate(coros):
                try:
                    coro.send(None)
                except StopIteration as stop:
                    results[i] = stop.value
                    running = False
    except BaseException:
        for coro in coros:
            coro.close()
        raise
    return results
