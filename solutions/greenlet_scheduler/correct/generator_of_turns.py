"""Job records with their own greenlet, handed out one turn at a time by a generator.

`_turns()` yields the job whose turn it is, for as long as jobs are ready; it reads the queue
afresh at every step, so jobs spawned meanwhile (appended to the same deque) are seen. Each
greenlet is created at its job's first turn with an explicit parent: the hub.
"""

import itertools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from greenlet import getcurrent, greenlet


@dataclass
class _Job:
    id: int
    fn: object
    args: tuple
    glet: greenlet | None = field(default=None)


class Scheduler:
    """Round-robin over greenlets, the turns coming from a generator."""

    def __init__(self) -> None:
        self._ready: deque[_Job] = deque()
        self._ids = itertools.count()
        self._hub: greenlet | None = None

    def spawn(self, fn, *args) -> int:
        """Queue ``fn(*args)`` as a new job; return its id."""
        job = _Job(next(self._ids), fn, args)
        self._ready.append(job)
        return job.id

    def pause(self) -> None:
        """Let the next job run; return at this job's next turn."""
        self._hub.switch()

    def _turns(self) -> Iterator[_Job]:
        while self._ready:
            yield self._ready.popleft()

    def _give_turn(self, job: _Job) -> tuple[bool, object]:
        """Run ``job`` until it pauses or ends: (ended, its result)."""
        if job.glet is None:
            job.glet = greenlet(job.fn, parent=self._hub)
            start = job.args
        else:
            start = ()
        try:
            value = job.glet.switch(*start)
        except Exception as exc:
            return True, exc
        return job.glet.dead, value

    def run(self) -> dict[int, object]:
        """Run all jobs to their end, taking turns; return their results by id."""
        self._hub = getcurrent()
        results = {}
        for job in self._turns():
            ended, value = self._give_turn(job)
            if ended:
                results[job.id] = value
            else:
                self._ready.append(job)
        return results
