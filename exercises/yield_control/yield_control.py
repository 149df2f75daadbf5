"""Sharing the loop: yielding with sleep(0).

Goal: compute the checksum of many blobs inside a busy asyncio program without starving the other
coroutines. ``checksum(blob)`` is given: it stands in for CPU work, and it never awaits anything.
``checksum_all(blobs, every=100)`` calls ``checksum`` once per blob, in order, and returns the
checksums in the order of ``blobs``; after every ``every`` checksums (and after the last one) it
hands control back to the event loop once, with ``await asyncio.sleep(0)``, so that every other
coroutine gets a turn. The README has the exact contract; run ``make check``.

This code imports and runs, and its results are right, but it never lets another coroutine run
until it has finished every blob.
"""

import asyncio  # noqa: F401 - you will need it


def checksum(blob: bytes) -> int:
    """Fletcher-16 checksum of ``blob``: a little CPU work, done in Python. Do not change it."""
    low = high = 0
    for byte in blob:
        low = (low + byte) % 255
        high = (high + low) % 255
    return (high << 8) | low


async def checksum_all(blobs: list[bytes], *, every: int = 100) -> list[int]:
    """The checksum of every blob, in order, handing control back after every ``every`` blobs."""
    results = []
    for blob in blobs:
        results.append(checksum(blob))
        # TODO: nothing in this loop ever awaits, so it runs start to end in one go and no other
        #       coroutine (a heartbeat, a web request, a timeout) runs meanwhile. After every
        #       `every` checksums, and after the last one, hand control back to the event loop
        #       once. Keep calling `checksum` by its name.
    return results
