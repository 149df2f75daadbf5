"""An async generator that hands out the blobs and yields control after each block of them.

The pacing lives in one reusable helper; checksum_all is an async comprehension over it.
"""

import asyncio
from collections.abc import AsyncIterator, Sequence


def checksum(blob: bytes) -> int:
    """Fletcher-16 checksum of blob (given)."""
    low = high = 0
    for byte in blob:
        low = (low + byte) % 255
        high = (high + low) % 255
    return (high << 8) | low


async def cooperatively(items: Sequence[bytes], every: int) -> AsyncIterator[bytes]:
    """Give out items one by one; after every `every`-th (and the last) is used, let others run."""
    for done, item in enumerate(items, start=1):
        yield item
        # We get here when the consumer asks for the next item: it has finished with this one.
        if done % every == 0 or done == len(items):
            await asyncio.sleep(0)


async def checksum_all(blobs: list[bytes], *, every: int = 100) -> list[int]:
    """The checksum of every blob, in order, handing control back after every `every` blobs."""
    return [checksum(blob) async for blob in cooperatively(blobs, every)]
