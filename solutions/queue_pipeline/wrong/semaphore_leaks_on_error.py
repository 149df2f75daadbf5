"""The worker acquires and releases the Semaphore by hand, without finally: each failed fetch loses a permit.

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
                await limit.acquire()
                results[url] = await fetch(url)
                limit.release()  # never reached when fetch raises
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
