"""fetch_all waits with asyncio.wait, which neither cancels its tasks when cancelled nor accepts [].

Caught by: test_fetch_all_of_no_urls_returns_an_empty_list, test_cancelling_fetch_all_cancels_every_download
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Start every download, wait for all of them, collect the results in order."""
    tasks = [asyncio.create_task(fetch(url, latency)) for url in urls]
    await asyncio.wait(tasks)
    return [task.result() for task in tasks]
