"""Exercise greenlet_scheduler: cooperative multitasking with greenlets.

Goal: make `Scheduler` run its jobs *taking turns*, without `async`: each job is an ordinary
function that runs in a greenlet of its own, and `pause()`, called anywhere inside a job (however
deep in ordinary function calls), switches back to the scheduler, which gives the next ready job its
turn. `run()` returns every job's result (or the exception it raised) by job id.

Read README.md for the full contract, then run `make check`.
"""

# TODO: you will need `from greenlet import getcurrent, greenlet`.


class Scheduler:
    """Runs jobs one at a time, taking turns in the order they became ready."""

    def __init__(self) -> None:
        self._jobs = []  # (job id, fn, args) in spawn order
        self._next_id = 0

    def spawn(self, fn, *args) -> int:
        """Add a job that will call ``fn(*args)``; return its id. Nothing runs yet."""
        job_id = self._next_id
        self._next_id += 1
        self._jobs.append((job_id, fn, args))
        return job_id

    def pause(self) -> None:
        """Called by a running job: give the next job its turn; returns at this job's next turn."""
        # TODO: this gives nobody a turn. Switch from the job's greenlet to the greenlet that runs
        # run() (remember it: it is not necessarily the job's parent).

    def run(self) -> dict[int, object]:
        """Run every job (and every job they spawn) to its end, taking turns; return the results."""
        results = {}
        # TODO: this calls each job to its end, one after the other, in the caller's own greenlet:
        # no turns are taken. Keep a queue of ready jobs; give the first one a turn by switching to
        # its greenlet; when `switch()` comes back, the job has either paused (back of the queue)
        # or finished (record what it returned). A job's exception must be recorded, not stop the
        # others, and a job spawned meanwhile must get its turns too.
        for job_id, fn, args in self._jobs:
            results[job_id] = fn(*args)
        return results
