"""checksum_all makes one task per blob and gathers them: tasks do not split up CPU work.

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


async def checksum_one(blob: bytes) -> int:
    """One blob's checksum, as a coroutine."""
    return checksum(blob)


async def checksum_all(blobs: list[bytes], *, every: int = 100) -> list[int]:
    """Every checksum in a task of its own, "at the same time"."""
    tasks = [asyncio.create_task(checksum_one(blob)) for blob in blobs]
    return list(await asyncio.gather(*tasks))
