"""fetch_all returns the bodies in the order the downloads finish (asyncio.as_completed).

Caught by: test_fetch_all_keeps_the_order_of_urls, test_fetch_all_starts_every_download_at_once, test_cancelling_fetch_all_cancels_every_download
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time, collecting bodies as they arrive."""
    tasks = [asyncio.create_task(fetch(url, latency)) for url in urls]
    bodies = []
    for next_done in asyncio.as_completed(tasks):
        bodies.append(await next_done)
    return bodies
