"""Lets the exception out but leaves the other coroutines suspended (or never started), unclosed.

Caught by: test_round_robin_error_propagates_and_closes_the_others
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
    pending = list(range(len(coros)))
    while pending:
        still_pending = []
        for i in pending:
            try:
                coros[i].send(None)
            except StopIteration as stop:
                results[i] = stop.value
            else:
                still_pending.append(i)
        pending = still_pending
    return results
