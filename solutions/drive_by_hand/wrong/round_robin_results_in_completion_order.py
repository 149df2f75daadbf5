"""Appends each result when its coroutine finishes: results come in completion order.

Caught by: test_round_robin_early_finishers_drop_out
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
    results = []
    pending = list(coros)
    try:
        while pending:
            still_pending = []
            for coro in pending:
                try:
                    coro.send(None)
                except StopIteration as stop:
                    results.append(stop.value)
                else:
                    still_pending.append(coro)
            pending = still_pending
    except BaseException:
        for coro in coros:
            coro.close()
        raise
    return results
