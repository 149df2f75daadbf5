"""Hidden grader for greenlet_scheduler.

Plain ``def`` tests: greenlets need no event loop, and an ``async def`` test would run on asyncio.
Every job is written here: an ordinary function that appends what it does to a shared log, calls
``sched.pause()`` between its steps, and notes the greenlet it runs in. The whole log is compared
with the one order the contract allows (a FIFO ready queue: a paused job goes to the back, a job
spawned during run() joins the back at once), so each verdict is a fact about the order of turns,
never about time. After run(), every job's greenlet must be dead: a job left suspended means run()
returned early, or a job switched somewhere it should not have.

Wrong switches are what greenlet bugs look like: a job that switches to (or ends into) its
*parent* resumes whoever created it, not necessarily the scheduler. The jobs here are created by
the test's greenlet, by other jobs (spawning while running), and run() is also called from a
greenlet of its own, so that those parents differ from the scheduler's greenlet.

Whatever a wrong solution leaves suspended is ended by the ``jobs`` fixture (GreenletExit, thrown
with the test's greenlet as parent), so that nothing of one test is finalised during the next.
"""

import pytest
from greenlet import getcurrent, greenlet

pytestmark = pytest.mark.exercise("greenlet_scheduler")


class JobError(Exception):
    """What the grader's failing jobs raise."""


class Jobs:
    """One scheduler and the jobs written for it: a shared log, and the greenlet each job ran in."""

    def __init__(self, sched) -> None:
        self.sched = sched
        self.log: list[str] = []
        self.ran_in: dict[str, greenlet] = {}  # job name -> the greenlet its body started in
        self.others: list[greenlet] = []  # greenlets of the test's own (ended last)

    def started(self, name: str) -> None:
        self.ran_in[name] = getcurrent()

    def worker(self, name: str, pauses: int, result=None):
        """Logs "a0", pauses, "a1", pauses, ... then "a done", and returns ``result``."""
        self.started(name)
        for i in range(pauses):
            self.log.append(f"{name}{i}")
            self.sched.pause()
        self.log.append(f"{name} done")
        return result

    def run(self) -> dict:
        """sched.run(), with a failure that says what happened if it raises."""
        try:
            return self.sched.run()
        except JobError as exc:
            pytest.fail(
                f"run() raised {exc!r}, the exception of one of the jobs (the jobs had logged: "
                f"{timeline(self.log)}): record a job's exception as its result, and keep running "
                f"the others; run() itself returns normally"
            )
        except Exception as exc:
            pytest.fail(f"run() raised {type(exc).__name__}: {exc} (the jobs had logged: "
                        f"{timeline(self.log)})")

    def left_unfinished(self) -> list[str]:
        """The jobs whose greenlet is still suspended (alive, not dead)."""
        here = getcurrent()
        return [name for name, glet in self.ran_in.items()
                if glet is not here and glet and not glet.dead]

    def end_leftovers(self) -> None:
        """End every greenlet a wrong solution left suspended, jobs first, each back to us."""
        here = getcurrent()
        for glet in [*self.ran_in.values(), *self.others]:
            for _ in range(3):
                if glet is here or glet.parent is None or glet.dead or not glet:
                    break
                try:
                    glet.parent = here
                    glet.throw()  # GreenletExit at the point where it is suspended
                except Exception:
                    pass


@pytest.fixture
def jobs(student):
    made = Jobs(student.Scheduler())
    try:
        yield made
    finally:
        made.end_leftovers()


def timeline(log: list[str]) -> str:
    return " | ".join(log) or "nothing"


def compare(log: list[str], expected: list[str], why: str) -> None:
    assert log == expected, (
        f"the jobs ran in this order: {timeline(log)}\n"
        f"expected:                   {timeline(expected)}\n{why}"
    )


def check_all_finished(jobs: Jobs, when: str) -> None:
    unfinished = jobs.left_unfinished()
    assert not unfinished, (
        f"{when}, run() returned while job(s) {', '.join(unfinished)} were still suspended in their "
        f"greenlet (not dead): run() must keep giving turns until every job has finished"
    )


def check_own_greenlets(jobs: Jobs) -> None:
    here = getcurrent()
    shared = [name for name, glet in jobs.ran_in.items() if glet is here]
    assert not shared, (
        f"job(s) {', '.join(shared)} ran in the greenlet that called run(), not in a greenlet of "
        f"their own: then pause() cannot suspend them. Run each job in its own greenlet(fn)"
    )
    glets = list(jobs.ran_in.values())
    assert len({id(g) for g in glets}) == len(glets), (
        "two jobs ran in the same greenlet: give each job a greenlet of its own"
    )


# -- the order of turns ---------------------------------------------------------------------------


@pytest.mark.points(1)
def test_turns_follow_the_ready_queue_whatever_the_job_lengths(jobs):
    sched = jobs.sched
    lengths = {"a": 0, "b": 4, "c": 1, "d": 0, "e": 2}
    ids = {name: sched.spawn(jobs.worker, name, pauses, name.upper()) for name, pauses in lengths.items()}
    results = jobs.run()
    check_all_finished(jobs, "with five jobs of different lengths")
    check_own_greenlets(jobs)
    compare(jobs.log, [
        "a done", "b0", "c0", "d done", "e0", "b1", "c done", "e1", "b2", "e done", "b3", "b done",
    ], "five jobs that pause 0, 4, 1, 0 and 2 times: each turn goes to the first job of the queue; "
       "a paused job goes to the back, a finished one leaves the queue")
    expected = {ids[name]: name.upper() for name in lengths}
    assert results == expected, f"run() returned {results!r}, expected {expected!r}"


@pytest.mark.points(1)
def test_pause_works_from_deep_inside_ordinary_functions(jobs):
    sched = jobs.sched

    def descend(level):  # an ordinary recursive function that pauses at every level
        jobs.log.append(f"deep{level}")
        sched.pause()
        return "bottom" if level == 1 else descend(level - 1)

    def deep():
        jobs.started("deep")
        found = descend(3)
        jobs.log.append("deep done")
        return found

    def slow_key(x):  # called by sorted(), a C function, from inside the job
        jobs.log.append(f"key{x}")
        sched.pause()
        return x

    def sorter():
        jobs.started("sorter")
        ordered = sorted([3, 1, 2], key=slow_key)
        jobs.log.append("sorted")
        return ordered

    def numbers():  # a generator that pauses while sum() consumes it
        for i in (1, 2):
            jobs.log.append(f"gen{i}")
            sched.pause()
            yield i

    def adder():
        jobs.started("adder")
        total = sum(numbers())
        jobs.log.append("gen done")
        return total

    ids = [sched.spawn(deep), sched.spawn(sorter), sched.spawn(adder)]
    results = jobs.run()
    check_all_finished(jobs, "with jobs that pause inside nested calls")
    check_own_greenlets(jobs)
    compare(jobs.log, [
        "deep3", "key3", "gen1", "deep2", "key1", "gen2", "deep1", "key2", "gen done", "deep done",
        "sorted",
    ], "these jobs pause deep inside ordinary calls: in a recursive helper, in the key function "
       "that sorted() calls, in a generator that sum() consumes. pause() must suspend the job's "
       "whole call stack, wherever it is, and give the next job its turn")
    expected = dict(zip(ids, ["bottom", [1, 2, 3], 3], strict=True))
    assert results == expected, f"run() returned {results!r}, expected {expected!r}"


@pytest.mark.points(1)
def test_jobs_spawned_during_run_join_the_back_of_the_queue(jobs):
    sched = jobs.sched

    spawned = {}  # name -> the id spawn() returned for it

    def d():  # spawned by b; spawns e at its first turn
        jobs.started("d")
        jobs.log.append("d0")
        spawned["e"] = sched.spawn(jobs.worker, "e", 1, "E")
        sched.pause()
        jobs.log.append("d done")
        return "D"

    def b():  # spawns c (which never pauses) and d, then takes two more turns
        jobs.started("b")
        jobs.log.append("b0")
        spawned["c"] = sched.spawn(jobs.worker, "c", 0, "C")
        spawned["d"] = sched.spawn(d)
        sched.pause()
        jobs.log.append("b1")
        sched.pause()
        jobs.log.append("b done")
        return "B"

    spawned["a"] = sched.spawn(jobs.worker, "a", 3, "A")
    spawned["b"] = sched.spawn(b)
    spawned["z"] = sched.spawn(jobs.worker, "z", 1, "Z")
    results = jobs.run()
    check_all_finished(jobs, "with jobs spawned while run() was running")
    compare(jobs.log, [
        "a0", "b0", "z0", "a1", "c done", "d0", "b1", "z done", "a2", "e0", "d done", "b done",
        "a done", "e done",
    ], "b spawns c and d at its first turn, d spawns e at its first turn: a job spawned while run() "
       "runs joins the back of the queue at once (behind the jobs already waiting, ahead of its "
       "spawner's next turn) and is run by the scheduler, never by spawn() itself. A job that "
       "ends or pauses must go back to the scheduler, not to the job that spawned it")
    check_own_greenlets(jobs)
    assert len(set(spawned.values())) == 6, (
        f"spawn() returned the ids {spawned}: every job needs an id of its own"
    )
    expected = {job_id: name.upper() for name, job_id in spawned.items()}
    assert results == expected, (
        f"run() returned {results!r}, expected {expected!r}: the results of jobs spawned during "
        f"run() belong in the dict too"
    )


# -- failures ---------------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_failing_jobs_are_recorded_and_the_rest_keep_running(jobs):
    sched = jobs.sched
    errors = {name: JobError(f"{name} failed") for name in ("x", "y", "f")}

    def x():  # fails at its very first turn
        jobs.started("x")
        jobs.log.append("x raises")
        raise errors["x"]

    def check(ok):  # an ordinary helper that raises on y's behalf
        if not ok:
            jobs.log.append("y raises")
            raise errors["y"]

    def y():  # fails at its third turn, deep in a helper
        jobs.started("y")
        for i in range(2):
            jobs.log.append(f"y{i}")
            sched.pause()
        check(False)

    def f():  # spawned during run(); fails at its first turn
        jobs.started("f")
        jobs.log.append("f raises")
        raise errors["f"]

    def s():
        jobs.started("s")
        jobs.log.append("s0")
        ids["f"] = sched.spawn(f)
        sched.pause()
        jobs.log.append("s done")
        return "S"

    ids = {"a": sched.spawn(jobs.worker, "a", 3, "A"), "x": sched.spawn(x), "y": sched.spawn(y),
           "s": sched.spawn(s), "z": sched.spawn(jobs.worker, "z", 2, "Z")}
    results = jobs.run()
    check_all_finished(jobs, "with failing jobs")
    compare(jobs.log, [
        "a0", "x raises", "y0", "s0", "z0", "a1", "y1", "f raises", "s done", "z1", "a2", "y raises",
        "z done", "a done",
    ], "x, y and f raise (x and f at their first turn, y at its third): a failed job leaves the "
       "queue with its exception as its result, and every other job keeps taking its turns")
    expected = {job_id: errors.get(name, name.upper()) for name, job_id in ids.items()}
    assert results == expected, (
        f"run() returned {results!r}, expected {expected!r}: a job that raised has the exception "
        f"object it raised as its result"
    )
    for name in errors:
        assert results[ids[name]] is errors[name], (
            f"the result of job {name} is {results[ids[name]]!r}, a copy or another exception: record "
            f"the very exception object the job raised"
        )


# -- parents ---------------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_run_works_when_called_from_another_greenlet(jobs):
    sched = jobs.sched

    spawned = {}

    def b():
        jobs.started("b")
        jobs.log.append("b0")
        spawned["c"] = sched.spawn(jobs.worker, "c", 1, "C")
        sched.pause()
        jobs.log.append("b done")
        return "B"

    # The jobs are spawned here, in the test's greenlet; run() runs in a greenlet of its own.
    spawned["a"] = sched.spawn(jobs.worker, "a", 2, "A")
    spawned["b"] = sched.spawn(b)
    spawned["z"] = sched.spawn(jobs.worker, "z", 0, "Z")
    runner = greenlet(sched.run)
    jobs.others.append(runner)
    returned = runner.switch()
    run_finished = runner.dead
    assert run_finished, (
        f"run() was called in a greenlet of its own, but control came back to the greenlet that had "
        f"spawned the jobs before run() had finished (it received {returned!r}; the jobs had logged: "
        f"{timeline(jobs.log)}). A job switched to, or ended into, its *parent*: by default the "
        f"greenlet that created it, which is not necessarily the one running run(). Have pause() "
        f"switch to the greenlet running run() (getcurrent() inside run()), and make that greenlet "
        f"the parent of every job's greenlet (create them inside run(), or set their parent)"
    )
    check_all_finished(jobs, "with run() called from another greenlet")
    compare(jobs.log, ["a0", "b0", "z done", "a1", "c0", "b done", "a done", "c done"],
            "with run() called from a greenlet other than the main one, the jobs should take "
            "their turns exactly as usual")
    expected = {job_id: name.upper() for name, job_id in spawned.items()}
    assert returned == expected, f"run() returned {returned!r}, expected {expected!r}"


# -- results --------------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_results_by_id_for_any_return_value(jobs, student):
    empty = student.Scheduler().run()
    assert empty == {}, f"run() on a scheduler with no jobs returned {empty!r}; it should return {{}}"

    sched = jobs.sched
    shared = ["a", "list", "object"]

    def add(name, x, y, z):
        jobs.started(name)
        jobs.log.append(f"{name}0")
        sched.pause()
        jobs.log.append(f"{name} done")
        return x + y + z

    falsy = {"n": None, "f": False, "o": 0, "s": ""}
    ids = {name: sched.spawn(jobs.worker, name, i, value) for i, (name, value) in enumerate(falsy.items())}
    ids["l"] = sched.spawn(jobs.worker, "l", 3, shared)
    ids["t"] = sched.spawn(add, "t", 1, 20, 300)
    assert jobs.log == [], f"spawn() must not run the job, but the jobs already logged {timeline(jobs.log)}"
    bad = {name: i for name, i in ids.items() if not isinstance(i, int) or isinstance(i, bool)}
    assert not bad, f"spawn() returned {bad}: a job's id is an int"
    assert len(set(ids.values())) == len(ids), (
        f"spawn() returned the ids {list(ids.values())}: every job needs an id of its own"
    )
    results = jobs.run()
    check_all_finished(jobs, "with jobs returning None, False, 0, '' and a list")
    expected = {ids[name]: value for name, value in falsy.items()}
    expected[ids["l"]] = shared
    expected[ids["t"]] = 321
    assert results == expected, (
        f"run() returned {results!r}, expected {expected!r}: when a job ends, the switch() that "
        f"resumed it returns the job's return value, whatever it is (None, False, 0, '' too); "
        f"tell a job that paused from one that ended by `glet.dead`, not by the value"
    )
    assert results[ids["l"]] is shared, "the result of a job must be the very object it returned"
