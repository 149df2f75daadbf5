"""Runs each job from start to finish before the next one: pause() does nothing, so no turns are taken.

Caught by: test_jobs_take_turns_in_spawn_order, test_a_failing_job_is_recorded_and_the_others_finish, test_a_job_spawned_while_running_joins_the_back_of_the_queue, test_turns_follow_the_ready_queue_whatever_the_job_lengths, test_pause_works_from_deep_inside_ordinary_functions, test_jobs_spawned_during_run_join_the_back_of_the_queue, test_failing_jobs_are_recorded_and_the_rest_keep_running, test_run_works_when_called_from_another_greenlet
"""

from greenlet import greenlet


class Scheduler:
    def __init__(self) -> None:
        self._jobs = []
        self._next_id = 0

    def spawn(self, fn, *args) -> int:
        job_id = self._next_id
        self._next_id += 1
        self._jobs.append((job_id, fn, args))
        return job_id

    def pause(self) -> None:
        pass  # "the scheduler will get to the others later"

    def run(self) -> dict[int, object]:
        results = {}
        for job_id, fn, args in self._jobs:  # the list grows as jobs spawn: they run too
            glet = greenlet(fn)
            try:
                results[job_id] = glet.switch(*args)
            except Exception as exc:
                results[job_id] = exc
        return results
