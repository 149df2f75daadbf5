"""pause() switches to getcurrent().parent: the greenlet that created the job, not the scheduler.

The greenlets are created in spawn(), so their parent is whoever called spawn(): the right
greenlet only when that is also the greenlet that runs run().

Caught by: test_a_job_spawned_while_running_joins_the_back_of_the_queue, test_jobs_spawned_during_run_join_the_back_of_the_queue, test_failing_jobs_are_recorded_and_the_rest_keep_running, test_run_works_when_called_from_another_greenlet
"""

from collections import deque

from greenlet import getcurrent, greenlet


class Scheduler:
    def __init__(self) -> None:
        self._ready = deque()
        self._results = {}
        self._next_id = 0

    def spawn(self, fn, *args) -> int:
        job_id = self._next_id
        self._next_id += 1
        self._ready.append((job_id, greenlet(fn), args))
        return job_id

    def pause(self) -> None:
        getcurrent().parent.switch()  # "the parent is the scheduler"

    def run(self) -> dict[int, object]:
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
