"""A TaskGroup owns the producer and the workers; the workers are cancelled once join() returns.

The TaskGroup waits for every child on every way out, and cancels them all when the body is
cancelled, so a cancelled crawl leaves nothing behind without any try/finally of our own. The
producer runs in the group too; the body waits for it, then for the queue to drain.
"""

import asyncio


async def crawl(urls, fetch, *, workers: int, max_in_flight: int, queue_size: int) -> dict:
    """Fetch every URL of ``urls`` once, through a bounded queue, at most max_in_flight at once."""
    queue: asyncio.Queue = asyncio.Queue(queue_size)
    limit = asyncio.Semaphore(max_in_flight)
    results: dict = {}

    async def produce() -> None:
        async for url in urls:
            await queue.put(url)

    async def work() -> None:
        while True:
            url = await queue.get()
            try:
                async with limit:
                    results[url] = await fetch(url)
            except Exception as exc:
                results[url] = exc
            finally:
                queue.task_done()

    async with asyncio.TaskGroup() as group:
        crew = [group.create_task(work()) for _ in range(workers)]
        await group.create_task(produce())
        await queue.join()
        for task in crew:  # they would wait in get() forever, and the group would wait for them
            task.cancel()
    return results
