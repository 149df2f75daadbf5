"""Hidden grader for cpu_in_processes.

``crunch_all(numbers, workers=..., func=...)`` is given a double for ``func``: ``_doubles.Job``, a
module-level (so picklable) callable that returns a ``Crunched(n, value, pid, gate)``, where ``pid``
says which process did the work. Each job also leaves files in a scratch directory (started,
finished) and then waits for its *gate* file. The grader's ``Bench`` runs a heartbeat coroutine on
the event loop that watches those files and opens the gates:

- first, only once ``min(workers, len(numbers))`` jobs are in flight at the same time (or after
  ``FALLBACK`` seconds without any progress, which is then the verdict "not in parallel");
- then all of them, or (``first="last"``) only the last job in flight until its result has come back
  to the grader's process, so that the results arrive in an order other than the input's.

So "the loop stays responsive while the processes work" and "the jobs run together" are facts the
grader observes, not timings: if ``crunch_all`` blocks the loop, the heartbeat cannot run, nobody
opens a gate, and the blocking watchdog names the student's line. A worker that ran a job takes
a second to exit, so a pool shut down on the loop thread (``with ProcessPoolExecutor()`` inside the
coroutine) blocks the loop for a second every time, not only on a busy machine, and a pool that is
not waited for still has live processes when ``crunch_all`` ends. Real time is used throughout
(``real_time``): nothing is asserted about durations, and the virtual clock does not see work
awaited through ``asyncio.wrap_future``. Every test starts and ends with no child process left.
"""

import asyncio
import multiprocessing
import os
import pickle
import time
from pathlib import Path

import _doubles
import pytest

pytestmark = [pytest.mark.exercise("cpu_in_processes"), pytest.mark.real_time]

DEADLINE = 20  # seconds: a crunch_all that hangs fails with a message instead of at the timeout
FALLBACK = 3.0  # seconds without progress after which the gates open anyway
POLL = 0.005


class Bench:
    """The grader's side of the ``Job`` double: a heartbeat that watches the jobs and opens gates."""

    def __init__(self, lab: Path, numbers: list[int], workers: int, first: str = "all") -> None:
        self.lab = lab
        self.numbers = list(numbers)
        self.workers = workers
        self.first = first  # "all": then open every gate; "last": the last job in flight first
        self.main_pid = os.getpid()
        self.peak_in_flight = 0
        self.peak_children = 0
        self.beats_while_working = 0
        self.fell_back = False
        self.held_back: int | None = None  # the jobs held back while `released` went first
        self.released: int | None = None
        self._task: asyncio.Task | None = None
        _doubles.CALLS_IN_MAIN_PROCESS.clear()
        _doubles.ARRIVED.clear()

    def job(self, fail_on: int | None = None) -> _doubles.Job:
        return _doubles.Job(str(self.lab), self.main_pid, fail_on)

    def _marked(self, prefix: str) -> set[int]:
        return {int(p.name[len(prefix) + 1:]) for p in self.lab.glob(f"{prefix}-*") if p.name != "gate-all"}

    def _open(self, name: str) -> None:
        (self.lab / f"gate-{name}").touch()

    async def _beat(self) -> None:
        together = min(self.workers, len(self.numbers))
        phase = "together"
        last_seen: tuple = ()
        last_progress = time.monotonic()
        while True:
            started, finished = self._marked("started"), self._marked("finished")
            in_flight = started - finished
            self.peak_in_flight = max(self.peak_in_flight, len(in_flight))
            self.peak_children = max(self.peak_children, len(multiprocessing.active_children()))
            if in_flight:
                self.beats_while_working += 1
            if (len(started), len(finished)) != last_seen:
                last_seen, last_progress = (len(started), len(finished)), time.monotonic()
            stalled = time.monotonic() - last_progress > FALLBACK
            if phase == "together":
                if len(in_flight) >= together and self.first == "last" and together > 1:
                    self.released = max(in_flight, key=self.numbers.index)
                    self._open(str(self.released))
                    phase = "last first"
                elif len(in_flight) >= together:
                    self._open("all")
                    phase = "open"
                elif stalled and started:
                    self.fell_back = True
                    self._open("all")
                    phase = "open"
            elif phase == "last first":
                back = self.released in _doubles.ARRIVED or (
                    self.released in finished and _doubles.CALLS_IN_MAIN_PROCESS
                )
                if back or stalled:
                    self._open("all")
                    phase = "open"
            await asyncio.sleep(POLL)

    async def __aenter__(self) -> "Bench":
        self._task = asyncio.create_task(self._beat())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._open("all")  # whatever happened, let every job finish
        self._task.cancel()
        await asyncio.wait({self._task})

    def ran_in_main_process(self) -> list[tuple[int, str]]:
        return list(_doubles.CALLS_IN_MAIN_PROCESS)


@pytest.fixture
def lab(tmp_path: Path):
    """A scratch directory for the jobs' files; no child process before the test or after it."""
    stop_children(timeout=5)
    yield tmp_path
    (tmp_path / "gate-all").touch()
    stop_children(timeout=5)


def stop_children(timeout: float) -> None:
    """End the child processes a wrong solution left behind, so the next test starts clean."""
    deadline = time.monotonic() + timeout
    for child in multiprocessing.active_children():
        child.join(max(0.0, deadline - time.monotonic()))
    for child in multiprocessing.active_children():
        child.terminate()
        child.join(1)


class Outcome:
    """How one call of crunch_all ended, and which child processes were alive at that moment."""

    def __init__(self) -> None:
        self.result: object = None
        self.error: Exception | None = None
        self.children_left: list = []


def is_pickling_error(exc: BaseException) -> bool:
    return isinstance(exc, pickle.PicklingError) or (
        isinstance(exc, AttributeError | TypeError) and "pickle" in str(exc)
    )


async def call_crunch_all(student, numbers, *, workers, func) -> Outcome:
    """Await crunch_all (bounded); a pickling error fails the test with what to do about it."""
    outcome = Outcome()
    deadline = asyncio.timeout(DEADLINE)
    try:
        async with deadline:
            outcome.result = await student.crunch_all(numbers, workers=workers, func=func)
    except Exception as exc:
        if deadline.expired():
            pytest.fail(f"crunch_all was still running after {DEADLINE} s: does it wait for "
                        f"something that never happens?")
        outcome.error = exc
    finally:
        outcome.children_left = multiprocessing.active_children()
    if outcome.error is not None and is_pickling_error(outcome.error):
        pytest.fail(
            f"crunch_all could not send the work to its process pool: "
            f"{type(outcome.error).__name__}: {outcome.error}. A process pool pickles what it "
            f"sends to a worker, and a function pickles by *name* (its module and name), so the "
            f"worker can import it: a module-level function, or functools.partial of one, can be "
            f"sent; a lambda or a function defined inside crunch_all cannot. Send `func` itself and "
            f"its argument: loop.run_in_executor(pool, func, n)"
        )
    return outcome


def results_of(outcome: Outcome, numbers: list[int]) -> list:
    """The list crunch_all returned, after checking it returned one without raising."""
    assert outcome.error is None, (
        f"crunch_all({numbers}) raised {type(outcome.error).__name__}: {outcome.error}"
    )
    result = outcome.result
    assert isinstance(result, list), f"crunch_all returned {result!r}: return a list"
    assert len(result) == len(numbers), (
        f"crunch_all({numbers}) returned {len(result)} results: return one per number"
    )
    return result


def check_gates(results: list) -> None:
    timed_out = [r.n for r in results if isinstance(r, _doubles.Crunched) and r.gate == "timed out"]
    assert not timed_out, (
        f"the event loop did not run while the jobs for {timed_out} were working: crunch_all "
        f"blocked the loop thread until they finished (a blocking pool.map() or future.result() "
        f"in the coroutine?). Await the work instead: `await loop.run_in_executor(pool, func, n)`"
    )


# -- the tests ----------------------------------------------------------------------------------------


@pytest.mark.points(2)
async def test_every_job_runs_in_a_worker_process(student, lab):
    numbers = [5, 3, 8]
    async with Bench(lab, numbers, workers=1) as bench:
        outcome = await call_crunch_all(student, numbers, workers=1, func=bench.job())
    in_main = bench.ran_in_main_process()
    assert not in_main, (
        f"func ran in the grader's own process ({', '.join(f'{n} on the {where}' for n, where in in_main)}): "
        f"a coroutine that calls func, or a thread pool (run_in_executor(None, ...), "
        f"asyncio.to_thread), runs the CPU work in this process, where the GIL lets only one "
        f"thread compute at a time. Send it to a concurrent.futures.ProcessPoolExecutor"
    )
    results = results_of(outcome, numbers)
    check_gates(results)
    expected = [(n, _doubles.value_of(n)) for n in numbers]
    assert [(r.n, r.value) for r in results] == expected, (
        f"crunch_all({numbers}) returned {results}: return func(n) for each number, in order"
    )
    assert all(r.pid != bench.main_pid for r in results), (
        "some results were computed in the grader's own process: compute every one in a worker"
    )
    assert bench.peak_children <= 1, (
        f"crunch_all(..., workers=1) started {bench.peak_children} processes at once: the pool "
        f"should have `workers` processes (ProcessPoolExecutor(max_workers=workers))"
    )


@pytest.mark.points(2)
async def test_loop_keeps_running_while_the_processes_work(student, lab):
    numbers = [11, 12, 13, 14]
    async with Bench(lab, numbers, workers=2) as bench:
        outcome = await call_crunch_all(student, numbers, workers=2, func=bench.job())
    results = results_of(outcome, numbers)
    check_gates(results)
    assert bench.beats_while_working > 0, (
        "the event loop never ran another coroutine while the jobs were working: await the "
        "work (loop.run_in_executor) rather than waiting for it on the loop thread"
    )
    ran_together = bench.peak_in_flight >= 2 and not bench.fell_back
    assert ran_together, (
        f"with workers=2 and {len(numbers)} numbers, only {bench.peak_in_flight} job(s) ever ran "
        f"at the same time: start every job before awaiting any (one future per number, then "
        f"asyncio.gather), so that the pool's processes work in parallel"
    )


@pytest.mark.points(1)
async def test_results_come_back_in_the_order_of_numbers(student, lab):
    numbers = [21, 22, 23, 24]
    async with Bench(lab, numbers, workers=2, first="last") as bench:
        outcome = await call_crunch_all(student, numbers, workers=2, func=bench.job())
    results = results_of(outcome, numbers)
    check_gates(results)
    got = [r.n if isinstance(r, _doubles.Crunched) else r for r in results]
    assert got == numbers, (
        f"crunch_all({numbers}) returned the results for {got}; the job for {bench.released} "
        f"finished first. Return the results in the order of `numbers`, whatever order the "
        f"processes finish in (asyncio.gather keeps the order it was given)"
    )


@pytest.mark.points(2)
async def test_a_worker_exception_reaches_the_caller_and_the_pool_is_shut_down(student, lab):
    numbers = [31, 32, 33]
    async with Bench(lab, numbers, workers=2) as bench:
        outcome = await call_crunch_all(student, numbers, workers=2, func=bench.job(fail_on=33))
    error = outcome.error
    assert error is not None, (
        f"func raised ValueError('cannot crunch 33') in a worker, and crunch_all returned "
        f"{outcome.result!r}: let the exception propagate to the caller (do not catch it, nor "
        f"collect it with return_exceptions=True)"
    )
    assert (type(error), str(error)) == (ValueError, "cannot crunch 33"), (
        f"func raised ValueError('cannot crunch 33') in a worker, and crunch_all raised "
        f"{type(error).__name__}({error}): the caller should get that same exception (the pool "
        f"pickles it back, type and message)"
    )
    assert not outcome.children_left, (
        f"when crunch_all raised, {len(outcome.children_left)} worker process(es) were still "
        f"running: shut the pool down on every way out, errors included (`with "
        f"ProcessPoolExecutor(...) as pool:` or try/finally)"
    )
