"""fetch sleeps in a worker thread (asyncio.to_thread): the pool runs only a few at once.

The loop is not blocked, but the default thread pool has at most 32 workers (min(32, cpus + 4)), so
100 downloads take several latencies, and a cancelled download's thread keeps sleeping.

Caught by: test_fetch_all_downloads_at_the_same_time
"""

import asyncio
import time


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url, waiting in a thread."""
    await asyncio.to_thread(time.sleep, latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time."""
    return await asyncio.gather(*(fetch(url, latency) for url in urls))
