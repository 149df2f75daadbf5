"""Public tests for greenlet_scheduler: run them with `make check`.

These are plain `def` tests: no event loop is involved. Each test spawns a few jobs written here,
ordinary functions that write what they do in a shared log and call `sched.pause()` between steps,
then calls `sched.run()` and compares the whole log with the order in which the jobs should have
taken their turns. The hidden tests go further: longer and shorter jobs, pauses from deep inside
nested calls, jobs spawned by jobs that were spawned, several failures, and `run()` called from a
greenlet other than the main one.
"""

import contextlib

import pytest
from greenlet import getcurrent

pytestmark = pytest.mark.exercise("greenlet_scheduler")


class Jobs:
    """Makes jobs for one scheduler; they all write to ``self.log`` and remember their greenlet."""

    def __init__(self, sched):
        self.sched = sched
        self.log = []
        self.greenlets = []

    def worker(self, name, pauses, result=None):
        """A job: logs "a0", pauses, logs "a1", pauses, ... then logs "a done" and returns result."""
        self.greenlets.append(getcurrent())
        for i in range(pauses):
            self.log.append(f"{name}{i}")
            self.sched.pause()
        self.log.append(f"{name} done")
        return result


@pytest.fixture
def jobs(student):
    """A scheduler and its jobs; any job greenlet left suspended is ended after the test."""
    made = Jobs(student.Scheduler())
    yield made
    here = getcurrent()
    for glet in made.greenlets:
        if glet is not here and glet.parent is not None and not glet.dead:
            with contextlib.suppress(Exception):
                glet.parent = here  # so that ending it comes back here
                glet.throw()  # GreenletExit: unwinds the job


@pytest.mark.points(1)
def test_jobs_take_turns_in_spawn_order(jobs):
    jobs.sched.spawn(jobs.worker, "a", 3)
    jobs.sched.spawn(jobs.worker, "b", 1)
    jobs.sched.spawn(jobs.worker, "c", 2)
    jobs.sched.run()
    # a, b and c each run until they pause, in spawn order; a paused job goes to the back of the
    # queue; a job that finishes leaves it.
    expected = ["a0", "b0", "c0", "a1", "b done", "c1", "a2", "c done", "a done"]
    assert jobs.log == expected, (
        f"the jobs ran in this order: {' | '.join(jobs.log)}\n"
        f"expected:                   {' | '.join(expected)}\n"
        f"each job runs until it calls pause() (or ends), then the next job in the queue gets its "
        f"turn; a paused job goes to the back of the queue"
    )


@pytest.mark.points(1)
def test_run_returns_each_jobs_result_by_id(jobs):
    a = jobs.sched.spawn(jobs.worker, "a", 2, "result of a")
    b = jobs.sched.spawn(jobs.worker, "b", 0, 42)
    c = jobs.sched.spawn(jobs.worker, "c", 1, None)
    assert jobs.log == [], f"spawn() must not run the job yet, but the jobs already logged {jobs.log}"
    results = jobs.sched.run()
    assert len({a, b, c}) == 3, f"spawn() returned the ids {a!r}, {b!r}, {c!r}: give each job its own id"
    expected = {a: "result of a", b: 42, c: None}
    assert results == expected, (
        f"run() returned {results!r}, expected {expected!r}: map each job's id to what the job "
        f"returned (when a job ends, the `switch()` that resumed it returns the job's return value)"
    )


class Broken(Exception):
    """What the failing job raises."""


@pytest.mark.points(1)
def test_a_failing_job_is_recorded_and_the_others_finish(jobs):
    error = Broken("b broke")

    def failing():
        jobs.greenlets.append(getcurrent())
        jobs.log.append("b0")
        jobs.sched.pause()
        raise error

    a = jobs.sched.spawn(jobs.worker, "a", 2, "A")
    b = jobs.sched.spawn(failing)
    c = jobs.sched.spawn(jobs.worker, "c", 2, "C")
    try:
        results = jobs.sched.run()
    except Broken:
        pytest.fail(
            f"run() raised the Broken exception of job b (the log was: {' | '.join(jobs.log)}): "
            f"record a job's exception as its result and keep running the other jobs"
        )
    expected = ["a0", "b0", "c0", "a1", "c1", "a done", "c done"]
    assert jobs.log == expected, (
        f"the jobs ran in this order: {' | '.join(jobs.log)}; expected {' | '.join(expected)} "
        f"(b raises at its second turn; a and c go on)"
    )
    # (an exception object equals only itself: == checks that b's result is the very one raised)
    assert results == {a: "A", b: error, c: "C"}, (
        f"run() returned {results!r}: job b raised Broken('b broke'), so its result is that very "
        f"exception object; a and c returned 'A' and 'C'"
    )


@pytest.mark.points(1)
def test_a_job_spawned_while_running_joins_the_back_of_the_queue(jobs):
    spawned = []

    def spawner():
        jobs.greenlets.append(getcurrent())
        jobs.log.append("b0")
        spawned.append(jobs.sched.spawn(jobs.worker, "c", 1, "C"))  # c joins the queue: after a
        jobs.sched.pause()  # b goes to the back of the queue: after c
        jobs.log.append("b done")
        return "B"

    a = jobs.sched.spawn(jobs.worker, "a", 2, "A")
    b = jobs.sched.spawn(spawner)
    results = jobs.sched.run()
    expected = ["a0", "b0", "a1", "c0", "b done", "a done", "c done"]
    assert jobs.log == expected, (
        f"the jobs ran in this order: {' | '.join(jobs.log)}\n"
        f"expected:                   {' | '.join(expected)}\n"
        f"b spawns c while a waits for its next turn: c goes to the back of the queue at once "
        f"(after a), and b, when it pauses, goes after c. spawn() never runs the job itself"
    )
    expected = {a: "A", b: "B", spawned[0]: "C"}
    assert results == expected, (
        f"run() returned {results!r}, expected {expected!r}: the job c that b spawned has its "
        f"result in the dict too, under the id spawn() returned for it. (When c pauses or ends, "
        f"control must go back to the scheduler, not to b, the greenlet that spawned it)"
    )
