"""Start a task per url with create_task, then gather the tasks (not bare coroutines).

gather over tasks behaves as gather over coroutines: results in argument order, the first error
propagates, and cancelling the gather cancels every task.
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url: wait latency seconds without blocking the loop."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time; bodies in the order of urls."""
    tasks = [asyncio.create_task(fetch(url, latency), name=f"fetch {url}") for url in urls]
    bodies = await asyncio.gather(*tasks)
    return list(bodies)
