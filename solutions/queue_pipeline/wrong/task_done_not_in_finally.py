"""The worker calls task_done() only after a successful fetch: a failed fetch leaves join() waiting forever.

Caught by: test_failed_fetches_are_results_and_the_crawl_goes_on
"""

import asyncio


async def crawl(urls, fetch, *, workers: int, max_in_flight: int, queue_size: int) -> dict:
    """Fetch every URL of the async iterable ``urls`` exactly once; return ``{url: result}``.

    A result is what ``await fetch(url)`` returned, or the exception it raised. At most
    ``max_in_flight`` fetches run at once; the producer waits while ``queue_size`` URLs are queued.
    """
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
                queue.task_done()  # skipped when fetch raises
            except Exception as exc:
                results[url] = exc

    tasks = [asyncio.create_task(work()) for _ in range(workers)]
    producer = asyncio.create_task(produce())
    try:
        await producer
        await queue.join()
    finally:
        producer.cancel()
        for task in tasks:
            task.cancel()
        await asyncio.gather(producer, *tasks, return_exceptions=True)
    return results
