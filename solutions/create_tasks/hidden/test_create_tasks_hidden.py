"""Hidden grader for create_tasks.

Every test gives the student's code doubles written here: fetches and jobs that log what they do
and sleep on the virtual clock, so verdicts rest on event logs, counts and virtual time, never on
wall-clock time. Two checks are structural, by design:

- whether ``Background`` keeps a strong reference to its tasks is seen through the garbage
  collector: a job that waits on a future nothing else refers to is collectable unless someone
  holds its task (``gc.collect()`` is deterministic for such cycles);
- ``asyncio.get_event_loop()`` is spotted by giving the student's module a stand-in for ``asyncio``
  that records that call, never through a DeprecationWarning (those differ between versions).
"""

import asyncio
import gc
import sys
import weakref

import pytest

from grader.testing import EventLog, must_finish, now, other_pending_tasks

pytestmark = pytest.mark.exercise("create_tasks")

# Long enough that a wrong solution which hangs ends at once (virtual time), well past every double.
DEADLINE = 60


class JobError(Exception):
    """What a failing fetch or job raises."""


class FakeFetch:
    """A double for ``fetch``: sleeps ``delays[key]`` virtual seconds, logs start, end, cancel."""

    def __init__(self, delays: dict[str, float], failing: str | None = None) -> None:
        self.delays = delays
        self.failing = failing
        self.log = EventLog()

    @staticmethod
    def value(key: str) -> str:
        return f"value of {key}"

    async def __call__(self, key: str) -> str:
        assert key in self.delays, f"fetch was called with {key!r}, which is not one of the keys"
        self.log("start", key)
        try:
            await asyncio.sleep(self.delays[key])
        except asyncio.CancelledError:
            self.log("cancelled", key)
            raise
        if key == self.failing:
            self.log("failed", key)
            raise JobError(f"{key}: backend unavailable")
        self.log("done", key)
        return self.value(key)


async def job(log: EventLog, name: str, seconds: float, error: str | None = None) -> None:
    """A background job: logs, sleeps ``seconds`` virtual seconds, then ends or raises."""
    log("start", name)
    await asyncio.sleep(seconds)
    if error is not None:
        log("failed", name)
        raise JobError(error)
    log("done", name)


# -- prefetch -------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_prefetch_keeps_the_order_of_keys(student):
    fake = FakeFetch({"slow": 3.0, "medium": 2.0, "fast": 1.0, "instant": 0.0})
    keys = ["slow", "medium", "fast", "instant"]
    async with must_finish("prefetch(['slow', 'medium', 'fast', 'instant'], fetch)"):
        values = await student.prefetch(keys, fake)
    assert isinstance(values, dict), f"prefetch returned {values!r}; it should return a dict"
    assert sorted(e[1] for e in fake.log.events if e[0] == "start") == sorted(keys), (
        f"prefetch called fetch with {[e[1] for e in fake.log.events if e[0] == 'start']}; it "
        f"should call fetch(key) exactly once per key"
    )
    expected = [(key, fake.value(key)) for key in keys]
    assert list(values.items()) == expected, (
        f"prefetch returned {values!r}; expected the keys in the order they were given, "
        f"{keys}, each with what fetch(key) returned, not in the order the fetches finished"
    )
    assert now() == 3.0, f"prefetch took {now()} s; its slowest fetch takes 3.0 s"
    async with must_finish("prefetch([], fetch)"):
        empty = await student.prefetch([], fake)
    assert empty == {}, f"prefetch([], fetch) returned {empty!r}; with no keys it should return {{}}"


@pytest.mark.points(1)
async def test_prefetch_error_reaches_the_caller_and_leaves_nothing_running(student):
    delays = {"users": 5.0, "prices": 1.0, "stock": 5.0}
    fake = FakeFetch(delays, failing="prices")
    errors: list[BaseException] = []
    values = None
    try:
        async with must_finish("prefetch(['users', 'prices', 'stock'], fetch)"):
            values = await student.prefetch(list(delays), fake)
    except* JobError as group:  # the error itself, or inside an ExceptionGroup (TaskGroup)
        errors.extend(group.exceptions)
    leftover = other_pending_tasks()
    assert errors, (
        f"fetch('prices') raised JobError, but prefetch returned {values!r}: the error should "
        f"reach prefetch's caller (never return or swallow it)"
    )
    assert not leftover, (
        f"prefetch raised the error of fetch('prices'), but {len(leftover)} of its fetches were "
        f"still running after it had ended: cancel the others (a TaskGroup does it for you) or "
        f"wait for them before raising; never leave tasks running behind your back"
    )


# -- Background -----------------------------------------------------------------------------------


class Orphans:
    """Jobs that each wait on a future only they refer to, so only their task keeps them alive."""

    def __init__(self) -> None:
        self.futures: dict[int, weakref.ref] = {}
        self.log = EventLog()

    async def job(self, n: int) -> None:
        signal = asyncio.get_running_loop().create_future()
        self.futures[n] = weakref.ref(signal)
        self.log("start", n)
        await signal
        self.log("done", n)

    def release(self) -> list[int]:
        """Let every job still alive finish; return the numbers of those that were collected."""
        lost = []
        for n, ref in sorted(self.futures.items()):
            signal = ref()
            if signal is None:
                lost.append(n)
            elif not signal.done():
                signal.set_result(None)
        return lost


@pytest.mark.points(1)
async def test_background_keeps_a_strong_reference_until_done(student):
    orphans = Orphans()
    bg = student.Background()
    for n in range(3):
        bg.start(orphans.job(n))  # the grader drops the task it returns, as fire-and-forget does
    await asyncio.sleep(0)  # one turn of the loop: every job starts and waits on its signal
    assert orphans.log.count("start") == 3, (
        f"one turn of the loop after three Background.start() calls, {orphans.log.count('start')} "
        f"of the jobs had started; a task starts at the loop's next turn, without being awaited"
    )
    gc.collect()
    lost = orphans.release()
    assert not lost, (
        f"{len(lost)} of the 3 tasks started with Background.start() were garbage-collected while "
        f"still running, because nothing but the event loop referred to them: the loop keeps only "
        f"weak references to tasks. Keep each task in `bg.tasks` until it is done."
    )
    async with must_finish("bg.wait()"):
        await bg.wait()
    assert orphans.log.count("done") == 3, (
        f"bg.wait() returned with {orphans.log.count('done')} of the 3 jobs done; it should wait "
        f"for every task started so far"
    )


@pytest.mark.points(1)
async def test_finished_tasks_leave_the_keeper_without_wait(student):
    log = EventLog()
    bg = student.Background()
    for name, seconds in [("thumbnails", 1.0), ("emails", 2.0), ("audit", 3.0)]:
        bg.start(job(log, name, seconds))
    seen = []
    for moment in (0.5, 1.5, 2.5, 3.5):
        await asyncio.sleep(moment - now())
        seen.append(len(bg.tasks))
    assert seen[0] == 3, (
        f"half a second after three Background.start() calls, with all three jobs running, "
        f"`bg.tasks` held {seen[0]} task(s): keep every task in `bg.tasks` until it is done"
    )
    assert seen == [3, 2, 1, 0], (
        f"with jobs ending at 1, 2 and 3 s and nobody calling wait(), `len(bg.tasks)` was {seen} "
        f"at 0.5, 1.5, 2.5 and 3.5 s; expected [3, 2, 1, 0]. A finished task must leave `bg.tasks` "
        f"as soon as it is done (task.add_done_callback), or a long-running service that starts "
        f"jobs all day keeps every one of them forever"
    )
    async with must_finish("bg.wait()"):
        await bg.wait()


@pytest.mark.points(1)
async def test_wait_raises_every_error_and_waits_for_all(student):
    log = EventLog()
    bg = student.Background()
    bg.start(job(log, "sync", 4.0))
    bg.start(job(log, "resize", 1.0, error="resize: disk full"))
    bg.start(job(log, "upload", 3.0, error="upload: connection reset"))
    await asyncio.sleep(2.0)  # resize has failed with nobody waiting for it
    errors: list[BaseException] = []
    try:
        async with must_finish("bg.wait()"):
            await bg.wait()
    except* JobError as group:
        errors.extend(group.exceptions)
    ended = now()
    assert sorted(str(e) for e in errors) == ["resize: disk full", "upload: connection reset"], (
        f"two jobs raised JobError, one at 1 s (before wait() was called) and one at 3 s, and "
        f"bg.wait() raised {[str(e) for e in errors]}: it should raise an ExceptionGroup of every "
        f"error (retrieve a task's exception in its done callback, so that none is lost)"
    )
    assert (ended, log.count("done")) == (4.0, 1), (
        f"bg.wait() ended at {ended} s, with the 4-second job "
        f"{'done' if log.count('done') else 'still running'}; it should wait for every task, even "
        f"after one has failed, and only then raise"
    )
    again: list[BaseException] = []
    try:
        async with must_finish("a second bg.wait()"):
            await bg.wait()
    except* JobError as group:
        again.extend(group.exceptions)
    assert not again, (
        f"a second bg.wait(), with no task started since the first, raised "
        f"{[str(e) for e in again]} again: each error should be raised by one wait() only"
    )


# -- the event loop -------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_deadline_is_on_the_loop_clock(student):
    await asyncio.sleep(2.5)
    expected = now() + 1.5
    got = student.deadline(1.5)
    assert got == expected, (
        f"at {now()} s on the event loop's clock, deadline(1.5) returned {got}; expected "
        f"{expected}: the loop's own clock (`loop.time()`), which asyncio.timeout_at and "
        f"loop.call_at use, not time.time() or time.monotonic()"
    )


class AsyncioSpy:
    """Stands in for ``asyncio`` in the student's module and records ``get_event_loop()`` calls."""

    def __init__(self) -> None:
        self.callers: list[str] = []

    def __getattr__(self, name: str):
        return getattr(asyncio, name)

    def get_event_loop(self):
        caller = sys._getframe(1).f_code.co_name
        self.callers.append(caller)
        return asyncio.get_running_loop()


@pytest.mark.points(1)
async def test_code_uses_get_running_loop_not_get_event_loop(student):
    spy = AsyncioSpy()
    for name, value in list(vars(student).items()):
        if value is asyncio:  # `import asyncio` (under any name)
            setattr(student, name, spy)
        elif value is asyncio.get_event_loop:  # `from asyncio import get_event_loop`
            setattr(student, name, spy.get_event_loop)
    log = EventLog()
    async with must_finish("prefetch(['a', 'b'], fetch)"):
        await student.prefetch(["a", "b"], FakeFetch({"a": 1.0, "b": 1.0}))
    bg = student.Background()
    bg.start(job(log, "cleanup", 1.0))
    async with must_finish("bg.wait()"):
        await bg.wait()
    student.deadline(1.0)
    callers = sorted(set(spy.callers))
    assert not callers, (
        f"asyncio.get_event_loop() was called in {', '.join(callers)}: in code that runs on the "
        f"event loop, use asyncio.get_running_loop() (or asyncio.create_task, which finds the "
        f"loop itself). get_event_loop() returns the running loop only because one happens to be "
        f"running: called anywhere else it is deprecated, and from Python 3.14 it raises"
    )
