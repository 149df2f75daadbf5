"""Returns None when the coroutine suspends again after handling the exception, instead of driving it on.

Caught by: test_throw_in_returns_what_the_coroutine_returns_after_handling
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
    return None


def round_robin(coros):
    results = [None] * len(coros)
    pending = list(range(len(coros)))
    try:
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
    except BaseException:
        for coro in coros:
            coro.close()
        raise
    return results
