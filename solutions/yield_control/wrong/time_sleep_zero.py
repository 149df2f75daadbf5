"""checksum_all "yields" with time.sleep(0), which never lets the event loop run anything else.

Caught by: test_a_heartbeat_gets_a_turn_after_every_block, test_the_others_get_a_turn_after_every_block, test_hands_control_back_once_per_block
"""

import time


def checksum(blob: bytes) -> int:
    """Fletcher-16 checksum of blob (given)."""
    low = high = 0
    for byte in blob:
        low = (low + byte) % 255
        high = (high + low) % 255
    return (high << 8) | low


async def checksum_all(blobs: list[bytes], *, every: int = 100) -> list[int]:
    """time.sleep(0) may let another *thread* run; it is no turn for other coroutines."""
    results = []
    for i, blob in enumerate(blobs, start=1):
        results.append(checksum(blob))
        if i % every == 0 or i == len(blobs):
            time.sleep(0)
    return results
