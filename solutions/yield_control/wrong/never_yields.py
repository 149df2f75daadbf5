"""checksum_all never awaits anything: the whole loop runs in one go and starves the others.

Caught by: test_a_heartbeat_gets_a_turn_after_every_block, test_the_others_get_a_turn_after_every_block, test_hands_control_back_once_per_block
"""

import asyncio  # noqa: F401


def checksum(blob: bytes) -> int:
    """Fletcher-16 checksum of blob (given)."""
    low = high = 0
    for byte in blob:
        low = (low + byte) % 255
        high = (high + low) % 255
    return (high << 8) | low


async def checksum_all(blobs: list[bytes], *, every: int = 100) -> list[int]:
    """An async def is not enough: nothing here suspends."""
    return [checksum(blob) for blob in blobs]
