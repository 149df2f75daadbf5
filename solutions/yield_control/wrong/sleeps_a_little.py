"""checksum_all hands control back with asyncio.sleep(0.001) instead of sleep(0): the work waits.

Caught by: test_handing_control_back_takes_no_time, test_a_heartbeat_gets_a_turn_after_every_block, test_the_others_get_a_turn_after_every_block, test_handing_control_back_does_not_move_the_clock
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
    """A "tiny" sleep per block: a millisecond lost each time, with nothing to wait for."""
    results = []
    for i, blob in enumerate(blobs, start=1):
        results.append(checksum(blob))
        if i % every == 0 or i == len(blobs):
            await asyncio.sleep(0.001)
    return results
