"""Gives every job a turn each round, finished ones too: a dead greenlet's switch() returns (), over its result.

Switching to a greenlet that has ended does not fail: control bounces back at once, and switch()
returns its own arguments, here (). Recording "what switch() returned" on every turn then replaces
the return value of every job that ended in an earlier round.

Caught by: test_run_returns_each_jobs_result_by_id, test_a_failing_job_is_recorded_and_the_others_finish, test_a_job_spawned_while_running_joins_the_back_of_the_queue, test_turns_follow_the_ready_queue_whatever_the_job_lengths, test_pause_works_from_deep_inside_ordinary_functions, test_jobs_spawned_during_run_join_the_back_of_the_queue, test_failing_jobs_are_recorded_and_the_rest_keep_running, test_run_works_when_called_from_another_greenlet, test_results_by_id_for_any_return_value
"""

from greenlet import getcurrent, greenlet


class Scheduler:
    def __init__(self) -> None:
        self._jobs = []  # [job id, greenlet, args to start it with]
        self._next_id = 0
        self._hub = None

    def spawn(self, fn, *args) -> int:
        job_id = self._next_id
        self._next_id += 1
        self._jobs.append([job_id, greenlet(fn, parent=self._hub), args])
        return job_id

    def pause(self) -> None:
        self._hub.switch()

    def run(self) -> dict[int, object]:
        self._hub = getcurrent()
        for _, glet, _ in self._jobs:
            glet.parent = self._hub
        results = {}
        while not all(glet.dead for _, glet, _ in self._jobs):
            for job in list(self._jobs):  # every job, every round, finished or not
                job_id, glet, args = job
                job[2] = ()
                try:
                    results[job_id] = glet.switch(*args)
                except Exception as exc:
                    results[job_id] = exc
        return results
