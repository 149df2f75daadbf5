"""Fixing blocking coroutines.

Goal: download several pages *at the same time*. ``fetch(url, latency)`` pretends to download
one page: it waits ``latency`` seconds without blocking the event loop, then returns
``f"<html>{url}</html>"``. ``fetch_all(urls, latency)`` downloads every url by calling ``fetch``,
all at once, so that ten downloads take about ``latency`` seconds rather than ten times that, and
returns the bodies in the order of ``urls``. The README has the exact contract; run ``make check``.

This code imports and runs, but it is wrong in two ways: it blocks the event loop, and it downloads
one page after another.
"""

import asyncio  # noqa: F401 - you will need it
import time


async def fetch(url: str, latency: float) -> str:
    """Pretend to download ``url``: wait ``latency`` seconds, then return its body."""
    # TODO: time.sleep blocks the whole thread, so no other coroutine can run while this one
    #       waits. Wait in a way that lets the event loop run other coroutines meanwhile.
    time.sleep(latency)  # noqa: ASYNC251 - this is the bug to fix
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time; return the bodies in the order of ``urls``."""
    bodies = []
    # TODO: each `await` here waits for one download to finish before the next one starts.
    #       Start every download first, then wait for all of them together (keep calling fetch).
    for url in urls:
        bodies.append(await fetch(url, latency))
    return bodies
