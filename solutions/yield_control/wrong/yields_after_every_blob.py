"""checksum_all hands control back after every single blob, ignoring every (a loop turn per item).

Caught by: test_a_heartbeat_gets_a_turn_after_every_block, test_the_others_get_a_turn_after_every_block, test_hands_control_back_once_per_block
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
    """Yield after each checksum: as fair as it gets, and far too slow."""
    results = []
    for blob in blobs:
        results.append(checksum(blob))
        await asyncio.sleep(0)
    return results
