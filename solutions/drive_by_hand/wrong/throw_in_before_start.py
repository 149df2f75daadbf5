"""Throws into the coroutine before starting it, so the exception is raised before its first line.

Caught by: test_throw_in_returns_what_the_coroutine_returns_after_handling, test_throw_in_coroutine_that_never_suspends, test_throw_in_lets_an_unhandled_exception_out
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
        coro.throw(exc)
    except StopIteration as stop:
        return stop.value
    return run(coro)


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
