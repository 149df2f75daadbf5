"""fetch_all calls asyncio.run() for each download from inside a coroutine.

Caught by: test_fetch_all_downloads_at_the_same_time, test_fetch_all_calls_fetch_once_per_url
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url by running fetch to completion."""
    return [asyncio.run(fetch(url, latency)) for url in urls]
