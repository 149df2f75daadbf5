"""Lets a job's exception escape from run(): the first failure stops every other job.

Caught by: test_a_failing_job_is_recorded_and_the_others_finish, test_failing_jobs_are_recorded_and_the_rest_keep_running
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
        self._ready.append((job_id, None, fn, args))
        return job_id

    def pause(self) -> None:
        self._hub.switch()

    def run(self) -> dict[int, object]:
        self._hub = getcurrent()
        while self._ready:
            job_id, glet, fn, args = self._ready.popleft()
            if glet is None:
                glet = greenlet(fn)
            value = glet.switch(*args)  # a job's exception is raised here, and leaves run()
            if glet.dead:
                self._results[job_id] = value
            else:
                self._ready.append((job_id, glet, fn, ()))
        return dict(self._results)
