"""pause() switches to the scheduler's greenlet, but a job that ends returns to the greenlet that created it.

spawn() creates the greenlet, so its parent (where control and the return value go when the job
ends) is whoever called spawn(): the test, or the job that spawned it, and not run().

Caught by: test_jobs_spawned_during_run_join_the_back_of_the_queue, test_failing_jobs_are_recorded_and_the_rest_keep_running, test_run_works_when_called_from_another_greenlet
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
        self._ready.append((job_id, greenlet(fn), args))  # parent: the caller of spawn()
        return job_id

    def pause(self) -> None:
        self._hub.switch()

    def run(self) -> dict[int, object]:
        self._hub = getcurrent()
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
        return dict(self._results)
