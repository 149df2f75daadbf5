"""Fixing blocking coroutines: the reference solution.

Goal: download several pages at the same time. ``fetch`` pretends to download one page by
waiting ``latency`` seconds without blocking the event loop; ``fetch_all`` runs one ``fetch`` per
url, all at once, and returns the bodies in the order of ``urls``.
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download ``url``: wait ``latency`` seconds, then return its body."""
    # asyncio.sleep suspends this coroutine and hands the thread back to the event loop, which runs
    # other coroutines meanwhile. time.sleep would hold the thread, and the whole loop, hostage.
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time; return the bodies in the order of ``urls``."""
    # Create every coroutine first, then await them all in one gather: gather wraps each in a task,
    # so they all start before any finishes (total time: one latency, not one per url).
    # gather returns results in the order its arguments were given, whatever order they finish in;
    # if one download raises, the error reaches our caller; and if our caller cancels us, gather
    # cancels every download still in flight.
    return await asyncio.gather(*(fetch(url, latency) for url in urls))
