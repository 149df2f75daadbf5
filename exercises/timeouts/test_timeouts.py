"""Public tests for timeouts: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time, and `now()` reads the event
loop's clock exactly. Your code talks to test doubles: a `FakeMirror` waits a given number of
seconds, then answers or raises; when it is cancelled, it logs it, cleans up, and ends cancelled.
The hidden tests also cancel the caller of `first_answer` at every one of its awaits.
"""

import asyncio

import pytest

from grader.testing import ConcurrencyProbe, EventLog, now

pytestmark = pytest.mark.exercise("timeouts")

DEADLINE = 600  # virtual seconds: a solution that hangs fails at once instead of hanging


class FakeMirror:
    """Waits `delay` s, then returns `answer` or raises `error`; logs what happened, and when."""

    def __init__(self, log, probe, name, delay, answer=None, error=None):
        self.log, self.probe, self.name = log, probe, name
        self.delay, self.answer, self.error = delay, answer, error

    async def __call__(self):
        self.log("asked", self.name, now())
        try:
            async with self.probe:
                await asyncio.sleep(self.delay)
        except asyncio.CancelledError:
            await asyncio.sleep(0.25)  # closing its connection takes a moment
            self.log("stopped", self.name, now())
            raise
        if self.error is not None:
            self.log("failed", self.name, now())
            raise self.error
        self.log("answered", self.name, now())
        return self.answer


def still_running(log, mirrors):
    """The mirrors that were asked and had not yet answered, failed, or stopped."""
    ended = {e[1] for e in log.events if e[0] != "asked"}
    return [m.name for m in mirrors if m.name not in ended]


@pytest.mark.points(1)
async def test_returns_the_fastest_answer_and_stops_the_others(student):
    log, probe = EventLog(), ConcurrencyProbe()
    mirrors = [FakeMirror(log, probe, "slow", 3, "slow's answer"),
               FakeMirror(log, probe, "fast", 1, "fast's answer"),
               FakeMirror(log, probe, "medium", 2, "medium's answer")]
    try:
        async with asyncio.timeout(DEADLINE):
            answer = await student.first_answer(mirrors, within=10)
        running = still_running(log, mirrors)
    finally:
        await asyncio.sleep(DEADLINE)  # let anything it left running finish before we look
    assert probe.peak == 3, (
        f"only {probe.peak} mirror(s) were asked at the same time: ask all of them at once"
    )
    assert answer == "fast's answer", (
        f"first_answer returned {answer!r}; the 'fast' mirror answered first (after 1 s)"
    )
    assert not running, (
        f"when first_answer returned, {running} were still running: cancel the other mirrors "
        f"and wait until they have finished before returning"
    )
    # Sorted by time (then name): the order of two events at the same instant is not yours to fix.
    assert sorted(log.events, key=lambda e: (e[2], e[0], e[1])) == [
        ("asked", "fast", 0.0), ("asked", "medium", 0.0), ("asked", "slow", 0.0),
        ("answered", "fast", 1.0), ("stopped", "medium", 1.25), ("stopped", "slow", 1.25),
    ], (
        f"the mirrors saw {log.events}; expected all asked at once, 'fast' answering at 1.0, "
        f"and the two others cancelled then and stopped after their 0.25 s cleanup"
    )


@pytest.mark.points(1)
async def test_every_mirror_failing_raises_all_mirrors_failed(student):
    log, probe = EventLog(), ConcurrencyProbe()
    errors = [ConnectionRefusedError("a is down"), ConnectionResetError("b dropped the connection")]
    mirrors = [FakeMirror(log, probe, "a", 2, error=errors[0]),
               FakeMirror(log, probe, "b", 1, error=errors[1])]
    with pytest.raises(student.AllMirrorsFailed) as caught:
        async with asyncio.timeout(DEADLINE):
            await student.first_answer(mirrors, within=10)
    assert now() == 2.0, (
        f"AllMirrorsFailed came at {now()} s; the last mirror failed at 2.0 s: raise it then"
    )
    assert caught.value.errors == errors, (
        f"AllMirrorsFailed.errors was {caught.value.errors!r}: it should hold the exception of "
        f"each mirror, in the order of `mirrors` (not in the order they failed)"
    )


@pytest.mark.points(1)
async def test_no_answer_in_time_raises_timeout_error(student):
    log, probe = EventLog(), ConcurrencyProbe()
    mirrors = [FakeMirror(log, probe, "a", 5, "a's answer"),
               FakeMirror(log, probe, "b", 8, "b's answer")]
    try:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(DEADLINE):
                await student.first_answer(mirrors, within=2)
        raised_at, running = now(), still_running(log, mirrors)
    finally:
        await asyncio.sleep(DEADLINE)
    assert not running, (
        f"when first_answer raised TimeoutError, {running} were still running: cancel them "
        f"and wait until they have finished first"
    )
    assert raised_at == 2.25, (
        f"TimeoutError came at {raised_at} s; the 2 s timeout should cancel the mirrors at "
        f"2.0 s, and they take 0.25 s to stop, so it should come at 2.25 s"
    )
