"""fetch calls asyncio.sleep(latency) without awaiting it, so it never waits.

Caught by: test_fetch_all_downloads_at_the_same_time, test_fetch_waits_latency_on_the_loop_clock
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time."""
    return await asyncio.gather(*(fetch(url, latency) for url in urls))
