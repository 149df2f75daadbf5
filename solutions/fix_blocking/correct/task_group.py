"""asyncio.TaskGroup: one task per url; the group waits for them all and cancels them on error.

A failed download reaches the caller inside an ExceptionGroup: that is how TaskGroup reports errors.
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url: wait latency seconds without blocking the loop."""
    # sleep's result argument: the body comes back from the await itself.
    return await asyncio.sleep(latency, result=f"<html>{url}</html>")


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time; bodies in the order of urls."""
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch(url, latency)) for url in urls]
    # Leaving the block means every task finished; keeping the list keeps the order of urls.
    return [task.result() for task in tasks]
