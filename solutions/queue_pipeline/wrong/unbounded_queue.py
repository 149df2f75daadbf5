"""crawl creates asyncio.Queue() without maxsize: the producer reads the whole feed at once, no backpressure.

Caught by: test_reads_urls_no_further_ahead_than_the_queue_allows
"""

import asyncio


async def crawl(urls, fetch, *, workers: int, max_in_flight: int, queue_size: int) -> dict:
    """Fetch every URL of the async iterable ``urls`` exactly once; return ``{url: result}``.

    A result is what ``await fetch(url)`` returned, or the exception it raised. At most
    ``max_in_flight`` fetches run at once; the producer waits while ``queue_size`` URLs are queued.
    """
    queue: asyncio.Queue = asyncio.Queue()  # no maxsize: put() never waits
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
            except Exception as exc:  # a failed page is a result; CancelledError is not caught
                results[url] = exc
            finally:
                queue.task_done()

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
