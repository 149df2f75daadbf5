"""fetch_all catches CancelledError and returns [] instead of ending cancelled.

Caught by: test_cancelling_fetch_all_cancels_every_download
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time; give up quietly when cancelled."""
    try:
        return await asyncio.gather(*(fetch(url, latency) for url in urls))
    except asyncio.CancelledError:
        return []
