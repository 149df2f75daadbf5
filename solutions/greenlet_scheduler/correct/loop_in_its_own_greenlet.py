"""The scheduling loop runs in a greenlet of its own, as gevent's hub does; run() starts it and waits.

run() makes a loop greenlet (its parent is run()'s caller, so when the loop ends its return value,
the results, comes back to run()); every job greenlet is a child of the loop, so a job that ends
or raises lands in the loop, and pause() switches to the loop greenlet.
"""

import itertools
from collections import deque

from greenlet import greenlet


class Scheduler:
    """Round-robin over greenlets, driven by a dedicated loop greenlet."""

    def __init__(self) -> None:
        self._ready = deque()  # (job id, fn, args, greenlet or None)
        self._ids = itertools.count()
        self._loop = None

    def spawn(self, fn, *args) -> int:
        """Queue ``fn(*args)`` as a new job; return its id."""
        job_id = next(self._ids)
        self._ready.append((job_id, fn, args, None))
        return job_id

    def pause(self) -> None:
        """Let the next job run; return at this job's next turn."""
        self._loop.switch()

    def run(self) -> dict[int, object]:
        """Run all jobs to their end, taking turns; return their results by id."""
        self._loop = greenlet(self._loop_body)  # child of the greenlet calling run()
        try:
            return self._loop.switch()
        finally:
            self._loop = None

    def _loop_body(self) -> dict[int, object]:
        results = {}
        while self._ready:
            job_id, fn, args, glet = self._ready.popleft()
            if glet is None:
                glet = greenlet(fn, parent=self._loop)
            try:
                value = glet.switch(*args)
            except Exception as exc:
                results[job_id] = exc
                continue
            if glet.dead:
                results[job_id] = value
            else:
                self._ready.append((job_id, fn, (), glet))
        return results
