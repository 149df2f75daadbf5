"""Pause.__await__ returns self, an iterator with a flag: a Pause awaited twice suspends once.

Caught by: test_pause_suspends_once_per_await_in_any_frame
"""


class Pause:
    def __init__(self):
        self._paused = False

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __next__(self):
        if not self._paused:
            self._paused = True
            return None
        raise StopIteration


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
