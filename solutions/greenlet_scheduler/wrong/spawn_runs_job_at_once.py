"""spawn() starts the new job at once (switches to it), instead of queueing it for its turn.

Before run() the job is only queued, but a job spawned by a running job jumps the queue: it runs
inside the spawner's turn until it pauses, and its greenlet's parent is the spawner.

Caught by: test_a_job_spawned_while_running_joins_the_back_of_the_queue, test_jobs_spawned_during_run_join_the_back_of_the_queue, test_failing_jobs_are_recorded_and_the_rest_keep_running, test_run_works_when_called_from_another_greenlet
"""

from collections import deque

from greenlet import getcurrent, greenlet


class Scheduler:
    def __init__(self) -> None:
        self._ready = deque()
        self._results = {}
        self._next_id = 0
        self._hub = None

    def spawn(self, fn, *args) -> int:
        job_id = self._next_id
        self._next_id += 1
        glet = greenlet(fn)
        if self._hub is None:
            self._ready.append((job_id, glet, args))
            return job_id
        self._step(job_id, glet, args)  # "start it right away, it is ready"
        return job_id

    def pause(self) -> None:
        self._hub.switch()

    def _step(self, job_id, glet, args) -> None:
        try:
            value = glet.switch(*args)
        except Exception as exc:
            self._results[job_id] = exc
            return
        if glet.dead:
            self._results[job_id] = value
        else:
            self._ready.append((job_id, glet, ()))

    def run(self) -> dict[int, object]:
        self._hub = getcurrent()
        while self._ready:
            self._step(*self._ready.popleft())
        return dict(self._results)
