"""Pause.__await__ returns an empty iterator: `await Pause()` never suspends.

Caught by: test_await_pause_suspends_once, test_pause_suspends_once_per_await_in_any_frame, test_pause_lets_asyncio_tasks_take_turns
"""


class Pause:
    def __await__(self):
        return iter(())


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
