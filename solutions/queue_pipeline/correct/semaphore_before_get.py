"""Each worker takes a permit before it takes a URL, and the shutdown uses asyncio.wait.

A worker holds the semaphore from queue.get() to the end of its fetch, so URLs stay in the queue
until a fetch can start (the producer's read-ahead is even smaller). crawl itself is the producer;
shutdown cancels the workers and waits for them with asyncio.wait, which never raises their
outcome, in a loop that keeps waiting even if crawl is cancelled again meanwhile.
"""

import asyncio


async def crawl(urls, fetch, *, workers: int, max_in_flight: int, queue_size: int) -> dict:
    """Fetch every URL of ``urls`` once, through a bounded queue, at most max_in_flight at once."""
    queue: asyncio.Queue = asyncio.Queue(maxsize=queue_size)
    permits = asyncio.Semaphore(max_in_flight)
    results: dict = {}

    async def work() -> None:
        while True:
            async with permits:
                url = await queue.get()
                try:
                    results[url] = await fetch(url)
                except Exception as exc:
                    results[url] = exc
                finally:
                    queue.task_done()

    crew = {asyncio.create_task(work()) for _ in range(workers)}
    try:
        async for url in urls:
            await queue.put(url)
        await queue.join()
    finally:
        for task in crew:
            task.cancel()
        cancelled = False
        while not all(task.done() for task in crew):
            try:
                await asyncio.wait(crew)
            except asyncio.CancelledError:
                cancelled = True
        if cancelled:
            raise asyncio.CancelledError
    return results
