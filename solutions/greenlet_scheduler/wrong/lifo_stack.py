"""Takes the next job with list.pop() (from the end): the last job spawned or paused runs next, a stack.

Caught by: test_jobs_take_turns_in_spawn_order, test_a_failing_job_is_recorded_and_the_others_finish, test_a_job_spawned_while_running_joins_the_back_of_the_queue, test_turns_follow_the_ready_queue_whatever_the_job_lengths, test_pause_works_from_deep_inside_ordinary_functions, test_jobs_spawned_during_run_join_the_back_of_the_queue, test_failing_jobs_are_recorded_and_the_rest_keep_running, test_run_works_when_called_from_another_greenlet
"""

from greenlet import getcurrent, greenlet


class Scheduler:
    def __init__(self) -> None:
        self._ready = []
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
            job_id, glet, fn, args = self._ready.pop()  # pop() takes from the end: the newest first
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
                self._ready.append((job_id, glet, fn, ()))
        return dict(self._results)
