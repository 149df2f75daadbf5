"""fetch_all awaits one download before starting the next (fetch is fine).

Caught by: test_fetch_all_downloads_at_the_same_time, test_fetch_all_starts_every_download_at_once
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url, one after another."""
    bodies = []
    for url in urls:
        bodies.append(await fetch(url, latency))
    return bodies
