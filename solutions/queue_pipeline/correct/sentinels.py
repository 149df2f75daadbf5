"""Shuts the workers down with one sentinel per worker instead of join() and cancel().

After the last URL the producer puts one `None` per worker; each worker stops at its sentinel, so
the workers end by themselves and `gather` returns when all of them have. Only a cancellation of
crawl needs cancel(): the `finally` then cancels every task and waits for it.
"""

import asyncio

_STOP = None


async def crawl(urls, fetch, *, workers: int, max_in_flight: int, queue_size: int) -> dict:
    """Fetch every URL of ``urls`` once, through a bounded queue, at most max_in_flight at once."""
    queue: asyncio.Queue = asyncio.Queue(maxsize=queue_size)
    limit = asyncio.Semaphore(max_in_flight)
    results: dict = {}

    async def produce() -> None:
        async for url in urls:
            await queue.put(url)
        for _ in range(workers):  # one per worker: each worker takes exactly one and stops
            await queue.put(_STOP)

    async def work() -> None:
        while (url := await queue.get()) is not _STOP:
            async with limit:
                try:
                    results[url] = await fetch(url)
                except Exception as exc:
                    results[url] = exc

    tasks = [asyncio.create_task(produce())]
    tasks += [asyncio.create_task(work()) for _ in range(workers)]
    try:
        await asyncio.gather(*tasks)
    finally:
        # Normally all done already; if we were cancelled, gather cancelled them but a second
        # cancellation could interrupt that wait: cancel again and wait with asyncio.wait.
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)
    return results
