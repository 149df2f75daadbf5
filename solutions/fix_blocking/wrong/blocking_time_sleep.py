"""fetch waits with time.sleep, which blocks the event loop (fetch_all is fine).

Caught by: test_fetch_returns_the_page_body, test_fetch_all_downloads_at_the_same_time, test_fetch_waits_latency_on_the_loop_clock, test_fetch_lets_other_coroutines_run_while_waiting
"""

import asyncio
import time


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    time.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time."""
    return await asyncio.gather(*(fetch(url, latency) for url in urls))
