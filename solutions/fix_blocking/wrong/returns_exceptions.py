"""fetch_all gathers with return_exceptions=True and returns a failed download's error as a body.

Caught by: test_fetch_all_raises_the_error_of_a_failed_download
"""

import asyncio


async def fetch(url: str, latency: float) -> str:
    """Pretend to download url."""
    await asyncio.sleep(latency)
    return f"<html>{url}</html>"


async def fetch_all(urls: list[str], latency: float) -> list[str]:
    """Download every url at the same time, never raising."""
    return await asyncio.gather(*(fetch(url, latency) for url in urls), return_exceptions=True)
