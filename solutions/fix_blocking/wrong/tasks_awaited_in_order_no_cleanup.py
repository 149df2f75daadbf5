"""fetch_all starts a task per url and awaits them in order, but never cancels them when cancelled.

Caught by: test_cancelling_fetch_all_cancels_every_download
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Start every download, then await each task in turn."""
    tasks = [asyncio.create_task(fetch(url, latency)) for url in urls]
    # Cancelling fetch_all cancels only the task being awaited; the others keep running.
    return [await task for task in tasks]
