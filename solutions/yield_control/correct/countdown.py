"""A countdown that starts at every: hand back at zero and restart; hand back at the end if needed.

No modulo: the budget of checksums left before the next turn for the others.
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
    budget = every
    for blob in blobs:
        results.append(checksum(blob))
        budget -= 1
        if budget == 0:
            await asyncio.sleep(0)
            budget = every
    if budget != every:  # a last, shorter block was done since the last hand-back
        await asyncio.sleep(0)
    return results
