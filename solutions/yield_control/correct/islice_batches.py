"""Batches taken with itertools.islice from one iterator; a sleep(0) after each batch.

Works for any iterable of blobs, not only lists (itertools.batched would do, from Python 3.12).
"""

import asyncio
import itertools


def checksum(blob: bytes) -> int:
    """Fletcher-16 checksum of blob (given)."""
    low = high = 0
    for byte in blob:
        low = (low + byte) % 255
        high = (high + low) % 255
    return (high << 8) | low


async def checksum_all(blobs: list[bytes], *, every: int = 100) -> list[int]:
    """The checksum of every blob, in order, handing control back after every `every` blobs."""
    results: list[int] = []
    remaining = iter(blobs)
    while batch := list(itertools.islice(remaining, every)):
        results.extend(map(checksum, batch))
        await asyncio.sleep(0)
    return results
