"""fetch_all creates a task per url but awaits each one right after creating it: still sequential.

Caught by: test_fetch_all_downloads_at_the_same_time, test_fetch_all_starts_every_download_at_once, test_cancelling_fetch_all_cancels_every_download
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url in a task of its own (awaited at once, so one at a time)."""
    bodies = []
    for url in urls:
        task = asyncio.create_task(fetch(url, latency))
        bodies.append(await task)
    return bodies
