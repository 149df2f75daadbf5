"""Cooperative multitasking with greenlets: the reference solution of greenlet_scheduler.

A round-robin scheduler without `async`: every job is an ordinary function running in a greenlet
of its own, and ``Scheduler.pause()``, called anywhere inside a job (however deep in ordinary
function calls), switches back to the scheduler, which gives the next ready job its turn.
"""

from collections import deque

from greenlet import getcurrent, greenlet


class Scheduler:
    """Runs jobs one at a time, taking turns in the order they became ready (a FIFO queue)."""

    def __init__(self) -> None:
        # Jobs waiting for a turn, in order: (job id, greenlet or None if not started yet, fn, args).
        self._ready: deque[tuple[int, greenlet | None, object, tuple]] = deque()
        self._results: dict[int, object] = {}
        self._next_id = 0
        self._hub: greenlet | None = None  # the greenlet that runs run(), while it runs
        self._running: greenlet | None = None  # the job greenlet that has the turn

    def spawn(self, fn, *args) -> int:
        """Add a job that will call ``fn(*args)``; return its id. Nothing runs yet."""
        job_id = self._next_id
        self._next_id += 1
        # No greenlet yet: a greenlet's parent is the greenlet that *creates* it, and ours must be
        # the scheduler's. Created here, it would be the caller's: the test, or a job that spawns.
        self._ready.append((job_id, None, fn, args))
        return job_id

    def pause(self) -> None:
        """Called by a running job: give the next job its turn; returns at this job's next turn."""
        if self._hub is None or getcurrent() is not self._running:
            raise RuntimeError("pause() must be called by a job while this scheduler runs it")
        # Not getcurrent().parent: switch to the one greenlet that runs the loop, by name.
        self._hub.switch()

    def run(self) -> dict[int, object]:
        """Run every job (and every job they spawn) to its end, taking turns; return the results.

        The dict maps each job's id to what it returned, or to the exception it raised; one job's
        failure is recorded and does not stop the others, and run() itself does not raise it.
        """
        self._hub = getcurrent()
        try:
            while self._ready:
                job_id, glet, fn, args = self._ready.popleft()
                if glet is None:
                    # Created here, inside run(): its parent is the hub, so when the job returns
                    # or raises, control (and the value, or the exception) comes back right here.
                    glet = greenlet(fn)
                self._running = glet
                try:
                    value = glet.switch(*args)  # args only matter for the first switch
                except Exception as exc:  # the job raised: it reaches us, its parent
                    self._results[job_id] = exc
                    continue
                finally:
                    self._running = None
                # switch() returned either because the job paused (it is still alive) or because it
                # finished: `dead` tells which. The value cannot: pause() sends nothing, and a
                # job may well return None.
                if glet.dead:
                    self._results[job_id] = value
                else:
                    self._ready.append((job_id, glet, fn, ()))  # to the back of the queue
        finally:
            self._hub = None
        return dict(self._results)
