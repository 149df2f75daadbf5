"""Sharing the loop: yielding with sleep(0): the reference solution.

Goal: compute the checksum of many blobs without starving the other coroutines: ``checksum_all``
works through ``blobs`` in blocks of ``every``, and hands control back to the event loop once
after each block with ``await asyncio.sleep(0)``.
"""

import asyncio


def checksum(blob: bytes) -> int:
    """Fletcher-16 checksum of ``blob``: a little CPU work, done in Python. Do not change it."""
    low = high = 0
    for byte in blob:
        low = (low + byte) % 255
        high = (high + low) % 255
    return (high << 8) | low


async def checksum_all(blobs: list[bytes], *, every: int = 100) -> list[int]:
    """The checksum of every blob, in order, handing control back after every ``every`` blobs."""
    results: list[int] = []
    for start in range(0, len(blobs), every):
        # A block of plain calls: nothing here awaits, so no other coroutine runs meanwhile.
        # Keep the block small enough that this pause is short (here: `every` checksums).
        results.extend(checksum(blob) for blob in blobs[start : start + every])
        # sleep(0) sets no timer: it suspends this coroutine and puts it straight back at the end
        # of the loop's ready queue, so every coroutine that was already waiting to run gets one
        # turn first. It costs one loop turn, not time, which is why we do it once per block
        # rather than once per blob.
        # Also after the last block: returning to our caller is not a turn for the others (the
        # caller just goes on running), so without it a caller that calls us again and again
        # would starve them for longer than `every` checksums.
        await asyncio.sleep(0)
    return results
