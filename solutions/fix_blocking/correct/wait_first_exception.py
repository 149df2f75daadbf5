"""asyncio.wait(FIRST_EXCEPTION) over tasks, with the empty case and cleanup handled by hand.

The longer way round: what gather does for you, spelled out.
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url: wait latency seconds without blocking the loop."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time; bodies in the order of urls."""
    if not urls:
        return []  # asyncio.wait refuses an empty set
    tasks = [asyncio.create_task(fetch(url, latency)) for url in urls]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        # FIRST_EXCEPTION returns early when a download fails, and the failed one need not be
        # first in `tasks` (others may still be pending): raise its error before asking any
        # task for its result.
        for task in done:
            if task.exception() is not None:
                raise task.exception()
        return [task.result() for task in tasks]
    finally:
        # asyncio.wait does not cancel its tasks when we are cancelled or fail: do it here.
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)
