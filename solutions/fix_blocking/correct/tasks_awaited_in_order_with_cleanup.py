"""create_task for every url, then await the tasks in order; cancel the stragglers on the way out.

The tasks all run from the moment they are created, so awaiting them one by one still takes only
as long as the slowest; the finally block makes cancellation (and errors) reach every download.
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url: wait latency seconds on a timer of the event loop."""
    loop = asyncio.get_running_loop()
    body = loop.create_future()
    timer = loop.call_later(latency, body.set_result, f"<html>{url}</html>")
    try:
        return await body
    finally:
        timer.cancel()  # if we were cancelled, the timer must not set a cancelled future


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time; bodies in the order of urls."""
    tasks = [asyncio.create_task(fetch(url, latency)) for url in urls]
    try:
        return [await task for task in tasks]
    finally:
        # On success every task is done and this does nothing. If we were cancelled, or one
        # download failed, the others are still running: cancel them and wait until they end
        # (return_exceptions=True so that their CancelledErrors are collected, not raised here).
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
