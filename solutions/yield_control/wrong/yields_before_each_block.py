"""checksum_all hands control back before each block, not after: the last block runs into the caller.

Caught by: test_the_others_get_a_turn_after_every_block
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
    """A sleep(0) at the top of each slice."""
    results: list[int] = []
    for start in range(0, len(blobs), every):
        await asyncio.sleep(0)
        results.extend(checksum(blob) for blob in blobs[start : start + every])
    return results
