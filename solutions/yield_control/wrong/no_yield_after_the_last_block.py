"""checksum_all skips the hand-back after its last block ("nothing left to do"), but returning is no turn.

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
    """Slices of every, with a sleep(0) between them but not after the last one."""
    results: list[int] = []
    for start in range(0, len(blobs), every):
        results.extend(checksum(blob) for blob in blobs[start : start + every])
        if start + every < len(blobs):
            await asyncio.sleep(0)
    return results
