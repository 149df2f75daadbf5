"""crawl stops its workers after join(), but not in `finally`: a cancelled crawl leaves them all running.

Caught by: test_cancel_at_every_await_leaves_no_task, test_cancelled_while_fetching_stops_every_task
"""

import asyncio


async def crawl(urls, fetch, *, workers: int, max_in_flight: int, queue_size: int) -> dict:
    queue: asyncio.Queue = asyncio.Queue(maxsize=queue_size)
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

    tasks = [asyncio.create_task(work()) for _ in range(workers)]
    producer = asyncio.create_task(produce())
    await producer
    await queue.join()
    for task in tasks:  # only reached when nothing went wrong: a cancellation skips it
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return results
