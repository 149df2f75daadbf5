"""checksum_all yields only when i % every == 0: a last block shorter than every gets no hand-back.

Caught by: test_the_others_get_a_turn_after_every_block, test_hands_control_back_once_per_block
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
    """A counter with modulo, forgetting the last, shorter block."""
    results = []
    for i, blob in enumerate(blobs, start=1):
        results.append(checksum(blob))
        if i % every == 0:
            await asyncio.sleep(0)
    return results
