"""Switches to each job once and records what comes back: a job that pauses is never resumed.

Caught by: test_jobs_take_turns_in_spawn_order, test_run_returns_each_jobs_result_by_id, test_a_failing_job_is_recorded_and_the_others_finish, test_a_job_spawned_while_running_joins_the_back_of_the_queue, test_turns_follow_the_ready_queue_whatever_the_job_lengths, test_pause_works_from_deep_inside_ordinary_functions, test_jobs_spawned_during_run_join_the_back_of_the_queue, test_failing_jobs_are_recorded_and_the_rest_keep_running, test_run_works_when_called_from_another_greenlet, test_results_by_id_for_any_return_value
"""

from greenlet import getcurrent, greenlet


class Scheduler:
    def __init__(self) -> None:
        self._jobs = []
        self._next_id = 0
        self._hub = None

    def spawn(self, fn, *args) -> int:
        job_id = self._next_id
        self._next_id += 1
        self._jobs.append((job_id, fn, args))
        return job_id

    def pause(self) -> None:
        self._hub.switch()

    def run(self) -> dict[int, object]:
        self._hub = getcurrent()
        results = {}
        for job_id, fn, args in self._jobs:
            try:
                results[job_id] = greenlet(fn).switch(*args)
            except Exception as exc:
                results[job_id] = exc
        return results
