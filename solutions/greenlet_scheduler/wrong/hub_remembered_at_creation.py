"""Remembers the scheduler's greenlet when the Scheduler is created, not when run() is called.

If run() is called from another greenlet than the one that made the Scheduler, pause() switches
to the wrong one.

Caught by: test_run_works_when_called_from_another_greenlet
"""

from collections import deque

from greenlet import getcurrent, greenlet


class Scheduler:
    def __init__(self) -> None:
        self._ready = deque()
        self._results = {}
        self._next_id = 0
        self._hub = getcurrent()  # "the scheduler runs here"

    def spawn(self, fn, *args) -> int:
        job_id = self._next_id
        self._next_id += 1
        self._ready.append((job_id, None, fn, args))
        return job_id

    def pause(self) -> None:
        self._hub.switch()

    def run(self) -> dict[int, object]:
        while self._ready:
            job_id, glet, fn, args = self._ready.popleft()
            if glet is None:
                glet = greenlet(fn)
            try:
                value = glet.switch(*args)
            except Exception as exc:
                self._results[job_id] = exc
                continue
            if glet.dead:
                self._results[job_id] = value
            else:
                self._ready.append((job_id, glet, fn, ()))
        return dict(self._results)
