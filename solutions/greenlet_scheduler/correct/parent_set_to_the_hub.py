"""Greenlets made in spawn(), re-parented to the scheduler's greenlet; pause() switches to the parent.

This is SQLAlchemy's pattern (``await_only`` switches to ``getcurrent().parent``): switching to the
parent is right exactly when every job's parent is known to be the scheduler. run() re-parents the
jobs spawned before it started; a job spawned while it runs gets the right parent at creation. A
job's exception ends its greenlet and is raised in the parent, at the switch() in run().
"""

from collections import deque

from greenlet import getcurrent, greenlet


class Scheduler:
    """Round-robin over greenlets whose parent is the greenlet running run()."""

    def __init__(self) -> None:
        self._ready: deque[tuple[int, greenlet, tuple]] = deque()
        self._results: dict[int, object] = {}
        self._count = 0
        self._hub: greenlet | None = None

    def spawn(self, fn, *args) -> int:
        """Queue ``fn(*args)`` as a new job; return its id."""
        job_id = self._count
        self._count += 1
        # While run() runs, the parent is its greenlet; before, whoever calls spawn() for now.
        self._ready.append((job_id, greenlet(fn, parent=self._hub), args))
        return job_id

    def pause(self) -> None:
        """Let the next job run; return at this job's next turn."""
        getcurrent().parent.switch()  # the parent is the hub: run() made sure of it

    def run(self) -> dict[int, object]:
        """Run all jobs to their end, taking turns; return their results by id."""
        self._hub = getcurrent()
        for _, glet, _ in self._ready:
            glet.parent = self._hub  # spawned before run(): adopt them
        try:
            while self._ready:
                job_id, glet, args = self._ready.popleft()
                try:
                    value = glet.switch(*args)
                except Exception as exc:
                    self._results[job_id] = exc
                    continue
                if glet.dead:
                    self._results[job_id] = value
                else:
                    self._ready.append((job_id, glet, ()))
        finally:
            self._hub = None
        return self._results
