"""Hidden grader for yield_control.

Every test replaces the fresh module's ``checksum`` with a double (``checksum_all`` looks the
global up when it runs) that logs each call and returns a value of its own. A heartbeat task logs
one "turn" each time the loop runs it and hands control straight back with ``sleep(0)``: while the
student's coroutine is suspended in ``await asyncio.sleep(0)`` the loop runs exactly one turn, so
the log of checksums and turns, asserted as a whole, shows where the student handed control back.
Nothing is timed: the verdicts rest on the log, on a count of suspensions and on the virtual clock.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from grader.testing import EventLog, count_suspensions, must_finish, now

pytestmark = pytest.mark.exercise("yield_control")

# Virtual seconds: a wrong solution that hangs ends at once, and the right ones take no time.
DEADLINE = 60


class FakeChecksum:
    """A double for ``checksum``: logs each call and returns a value that only it would return."""

    def __init__(self, log: EventLog) -> None:
        self.log = log

    @staticmethod
    def value(blob: bytes) -> int:
        return 7_000_000 + int(blob.split(b"-")[1])

    def __call__(self, blob: bytes) -> int:
        self.log("checksum", blob)
        return self.value(blob)


def blobs(n: int) -> list[bytes]:
    return [f"blob-{i}".encode() for i in range(n)]


def install(student, log: EventLog) -> FakeChecksum:
    fake = FakeChecksum(log)
    student.checksum = fake
    return fake


@contextlib.asynccontextmanager
async def heartbeat(log: EventLog) -> AsyncIterator[None]:
    """Run a task that logs ("turn",) every time the loop gives it a turn; stop it on the way out."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(0)
            log("turn")

    task = asyncio.create_task(beat())
    await asyncio.sleep(0)  # its first step: from now on it waits in the ready queue
    try:
        yield
    finally:
        task.cancel()
        await asyncio.wait({task})


def expected_log(n: int, every: int) -> list[tuple]:
    """The checksums in order, one turn after every `every` of them and one after the last."""
    events: list[tuple] = []
    for i, blob in enumerate(blobs(n), start=1):
        events.append(("checksum", blob))
        if i % every == 0 or i == n:
            events.append(("turn",))
    return [*events, ("returned",)]


def describe(events: list[tuple]) -> str:
    """A log in words: '3 checksums, a turn, 3 checksums, a turn, 1 checksum, return'."""
    parts: list[str] = []
    run = 0
    kind = None
    for event in [*events, ("end",)]:
        name = event[0]
        if name == kind:
            run += 1
            continue
        if kind == "checksum":
            parts.append(f"{run} checksum{'s' * (run != 1)}")
        elif kind == "turn":
            parts.append("a turn for the others" if run == 1 else f"{run} turns for the others")
        elif kind == "returned":
            parts.append("return")
        kind, run = name, 1
    return ", ".join(parts)


# -- results --------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_calls_checksum_once_per_blob_in_order(student):
    log = EventLog()
    fake = install(student, log)
    items = blobs(11)
    async with must_finish("checksum_all(11 blobs, every=4)"):
        results = await student.checksum_all(items, every=4)
    calls = [e[1] for e in log.events if e[0] == "checksum"]
    assert calls == items, (
        "checksum_all should call this module's `checksum(blob)` exactly once per blob, in the "
        "order of `blobs` (call it by its name; do not compute the checksums any other way)"
    )
    assert results == [fake.value(blob) for blob in items], (
        "checksum_all should return exactly what `checksum` returned for each blob, in the order of `blobs`"
    )
    log.events.clear()
    async with must_finish("checksum_all([], every=4)"):
        results = await student.checksum_all([], every=4)
    assert results == [], f"checksum_all([]) returned {results!r}; with no blobs it returns []"
    assert not log.events, "checksum_all([]) should not call checksum at all"


# -- turns for the others -------------------------------------------------------------------------


@pytest.mark.points(2)
async def test_the_others_get_a_turn_after_every_block(student):
    # A last block shorter than `every`, one that is full, a single short block, every blob.
    for n, every in [(7, 3), (6, 3), (2, 5), (3, 1)]:
        log = EventLog()
        install(student, log)
        call = f"checksum_all({n} blobs, every={every})"
        async with heartbeat(log):
            async with must_finish(call):
                await student.checksum_all(blobs(n), every=every)
            log("returned")  # in the same step as the return: no turn can come in between
        expected = expected_log(n, every)
        assert log.events == expected, (
            f"while {call} ran, the other coroutines saw: {describe(log.events)}; expected: "
            f"{describe(expected)}. Hand control back exactly once after every {every} "
            f"checksum(s) and once after the last one, with `await asyncio.sleep(0)` (a longer "
            f"sleep gives the others many idle turns; and returning is not a turn for them: "
            f"your caller just goes on running)"
        )


@pytest.mark.points(2)
async def test_hands_control_back_once_per_block(student):
    install(student, EventLog())
    for n, every, expected in [(250, 10, 25), (200, 50, 4), (0, 3, 0)]:
        call = f"checksum_all({n} blobs, every={every})"
        async with must_finish(call):
            suspended, _ = await count_suspensions(
                lambda n=n, every=every: student.checksum_all(blobs(n), every=every)
            )
        assert suspended == expected, (
            f"{call} handed control back to the event loop {suspended} time(s); it should do so "
            f"exactly {expected} time(s): once after every {every} checksums and once after the "
            f"last, never more often (each turn costs time)"
        )
    call = "checksum_all(250 blobs) with the default `every`"
    async with must_finish(call):
        suspended, _ = await count_suspensions(lambda: student.checksum_all(blobs(250)))
    assert suspended == 3, (
        f"{call} handed control back {suspended} time(s); `every` defaults to 100, so it should "
        f"hand it back 3 times (after the 100th, the 200th and the last checksum)"
    )


@pytest.mark.points(1)
async def test_handing_control_back_does_not_move_the_clock(student):
    install(student, EventLog())
    async with must_finish("checksum_all(30 blobs, every=4)"):
        await student.checksum_all(blobs(30), every=4)
    assert now() == 0.0, (
        f"checksum_all(30 blobs, every=4) ended after {now()} s on the loop's clock; handing "
        f"control back must not make the work wait: `await asyncio.sleep(0)` gives the others "
        f"their turn and resumes at once, any longer sleep wastes that time on every block"
    )
