"""Public tests for yield_control: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time, and `now()` reads the event
loop's clock exactly. A "heartbeat" here is a little coroutine that counts its turns: each time
the loop lets it run, it counts one and hands control straight back with `await asyncio.sleep(0)`.
"""

import asyncio

import pytest

from grader.testing import now

pytestmark = pytest.mark.exercise("yield_control")


def make_blobs(n):
    return [f"blob number {i}".encode() * (1 + i % 3) for i in range(n)]


@pytest.mark.points(1)
async def test_checksum_all_returns_every_checksum_in_order(student):
    blobs = make_blobs(7)
    try:
        async with asyncio.timeout(10):
            results = await student.checksum_all(blobs, every=3)
    except TimeoutError:
        pytest.fail("checksum_all(7 blobs, every=3) was still running after 10 s")
    expected = [student.checksum(blob) for blob in blobs]
    assert results == expected, (
        f"checksum_all(7 blobs, every=3) returned {results}; expected the checksum of every blob, "
        f"in the order of `blobs`: {expected}"
    )


@pytest.mark.points(2)
async def test_a_heartbeat_gets_a_turn_after_every_block(student):
    turns = 0

    async def heartbeat():
        nonlocal turns
        while True:
            await asyncio.sleep(0)
            turns += 1

    beating = asyncio.create_task(heartbeat())
    await asyncio.sleep(0)  # let the heartbeat start
    try:
        turns = 0
        async with asyncio.timeout(10):
            await student.checksum_all(make_blobs(50), every=10)
        during = turns
    finally:
        beating.cancel()
        await asyncio.wait({beating})
    assert during == 5, (
        f"while checksum_all(50 blobs, every=10) ran, a heartbeat coroutine got {during} turn(s); "
        f"it should get exactly 5, one after every 10 checksums: hand control back to the loop "
        f"once per block with `await asyncio.sleep(0)` (0 turns: you never let the loop run "
        f"anything else; 50: once per blob is too often; hundreds: a sleep longer than 0 makes "
        f"the loop idle round while your work waits)"
    )


@pytest.mark.points(1)
async def test_handing_control_back_takes_no_time(student):
    async with asyncio.timeout(10):
        await student.checksum_all(make_blobs(12), every=2)
    assert now() == 0.0, (
        f"checksum_all(12 blobs, every=2) ended after {now()} s on the loop's clock; handing "
        f"control back should cost no time at all: `await asyncio.sleep(0)` lets the others run "
        f"and comes straight back, a longer sleep just makes the work wait"
    )
