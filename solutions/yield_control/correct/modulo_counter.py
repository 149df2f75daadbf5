"""A counter with modulo: hand control back when the count reaches a multiple of every, or the end.

enumerate from 1 makes i the number of checksums done so far.
"""

import asyncio


def checksum(blob: bytes) -> int:
    """Fletcher-16 checksum of blob (given)."""
    low = high = 0
    for byte in blob:
        low = (low + byte) % 255
        high = (high + low) % 255
    return (high << 8) | low


async def checksum_all(blobs: list[bytes], *, every: int = 100) -> list[int]:
    """The checksum of every blob, in order, handing control back after every `every` blobs."""
    results = []
    for done, blob in enumerate(blobs, start=1):
        results.append(checksum(blob))
        if done % every == 0 or done == len(blobs):
            await asyncio.sleep(0)  # one turn for everyone else; no time on the clock
    return results
