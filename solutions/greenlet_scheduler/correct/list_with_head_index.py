"""A plain list as the ready queue, read through a moving head index; jobs report how they ended.

Each job runs inside a small wrapper that catches its exception, so the greenlet always ends
normally, with ("returned", value) or ("raised", exc); pause() switches to the hub with a private
sentinel, so the value switch() returns tells by itself whether the job paused or ended.
"""

from greenlet import getcurrent, greenlet

_PAUSED = object()  # nobody else can send this: it means "I paused", never "I returned"


def _report(fn, *args):
    """The body of a job's greenlet: how the job ended, as a tagged pair."""
    try:
        return ("returned", fn(*args))
    except Exception as exc:
        return ("raised", exc)


class Scheduler:
    """Round-robin over greenlets; the queue is a list that is only ever appended to."""

    def __init__(self) -> None:
        self._queue: list[tuple] = []  # (job id, greenlet or None, fn, args), one per turn
        self._head = 0  # the entry of _queue that gets the next turn
        self._count = 0
        self._hub = None

    def spawn(self, fn, *args) -> int:
        """Queue ``fn(*args)`` as a new job; return its id."""
        job_id = self._count
        self._count += 1
        self._queue.append((job_id, None, fn, args))
        return job_id

    def pause(self) -> None:
        """Let the next job run; return at this job's next turn."""
        if self._hub is None:
            raise RuntimeError("pause() is for jobs running under run()")
        self._hub.switch(_PAUSED)

    def run(self) -> dict[int, object]:
        """Run all jobs to their end, taking turns; return their results by id."""
        self._hub = getcurrent()
        results = {}
        # Entries before _head have had their turn; appending a paused job (or a spawned one) at
        # the end is "the back of the queue". The list keeps one entry per turn taken: fine for
        # a course, a long-running scheduler would drop the consumed head now and then.
        while self._head < len(self._queue):
            job_id, glet, fn, args = self._queue[self._head]
            self._head += 1
            if glet is None:
                glet = greenlet(_report)  # created here: its parent is the hub
                outcome = glet.switch(fn, *args)
            else:
                outcome = glet.switch()
            if outcome is _PAUSED:
                self._queue.append((job_id, glet, fn, ()))
            else:
                results[job_id] = outcome[1]
        self._hub = None
        self._queue, self._head = [], 0
        return results
