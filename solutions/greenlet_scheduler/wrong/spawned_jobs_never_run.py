"""Gives turns to the jobs that existed when run() started: a job spawned during run() never runs.

Caught by: test_a_job_spawned_while_running_joins_the_back_of_the_queue, test_jobs_spawned_during_run_join_the_back_of_the_queue, test_failing_jobs_are_recorded_and_the_rest_keep_running, test_run_works_when_called_from_another_greenlet
"""

from collections import deque

from greenlet import getcurrent, greenlet


class Scheduler:
    def __init__(self) -> None:
        self._spawned = []
        self._results = {}
        self._next_id = 0
        self._hub = None

    def spawn(self, fn, *args) -> int:
        job_id = self._next_id
        self._next_id += 1
        self._spawned.append((job_id, None, fn, args))
        return job_id

    def pause(self) -> None:
        self._hub.switch()

    def run(self) -> dict[int, object]:
        self._hub = getcurrent()
        ready = deque(self._spawned)  # a snapshot: later spawns go to self._spawned only
        while ready:
            job_id, glet, fn, args = ready.popleft()
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
                ready.append((job_id, glet, fn, ()))
        return dict(self._results)
