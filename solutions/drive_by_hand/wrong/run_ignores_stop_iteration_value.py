"""Drives the coroutine to its end but returns None: StopIteration's `.value` is thrown away.

Caught by: test_run_returns_the_coroutine_value, test_run_returns_value_after_any_number_of_suspensions, test_run_drives_through_nested_awaits, test_throw_in_returns_what_the_coroutine_returns_after_handling
"""


class Pause:
    def __await__(self):
        yield


def run(coro):
    while True:
        try:
            coro.send(None)
        except StopIteration:
            return None  # "it finished": but the return value was on the exception


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
