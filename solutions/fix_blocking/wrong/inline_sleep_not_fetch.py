"""fetch_all sleeps once and makes up the bodies itself instead of calling fetch for each url.

Caught by: test_fetch_all_calls_fetch_once_per_url, test_fetch_all_starts_every_download_at_once
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Wait one latency for all the pages, then build their bodies."""
    await asyncio.sleep(latency)
    return [f"<html>{url}</html>" for url in urls]
