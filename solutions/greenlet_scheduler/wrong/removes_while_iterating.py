"""Rounds over the list of jobs, removing a finished one while iterating: the next job misses its turn.

Caught by: test_jobs_take_turns_in_spawn_order, test_a_failing_job_is_recorded_and_the_others_finish, test_a_job_spawned_while_running_joins_the_back_of_the_queue, test_turns_follow_the_ready_queue_whatever_the_job_lengths, test_jobs_spawned_during_run_join_the_back_of_the_queue, test_failing_jobs_are_recorded_and_the_rest_keep_running, test_run_works_when_called_from_another_greenlet
"""

from greenlet import getcurrent, greenlet


class Scheduler:
    def __init__(self) -> None:
        self._jobs = []
        self._results = {}
        self._next_id = 0
        self._hub = None

    def spawn(self, fn, *args) -> int:
        job_id = self._next_id
        self._next_id += 1
        self._jobs.append([job_id, None, fn, args])
        return job_id

    def pause(self) -> None:
        self._hub.switch()

    def run(self) -> dict[int, object]:
        self._hub = getcurrent()
        while self._jobs:
            for job in self._jobs:  # the list shrinks under the loop: it skips the next job
                job_id, glet, fn, args = job
                if glet is None:
                    glet = job[1] = greenlet(fn)
                try:
                    value = glet.switch(*args)
                except Exception as exc:
                    self._results[job_id] = exc
                    self._jobs.remove(job)
                    continue
                job[3] = ()
                if glet.dead:
                    self._results[job_id] = value
                    self._jobs.remove(job)
        return dict(self._results)
