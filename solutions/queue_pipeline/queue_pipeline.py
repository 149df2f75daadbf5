"""Queues, backpressure and bounded concurrency: the reference solution of queue_pipeline.

``crawl`` reads URLs from an async iterable into a bounded ``asyncio.Queue`` (one producer), lets
``workers`` worker tasks take them off the queue and fetch them, with at most ``max_in_flight``
fetches at once (a ``Semaphore``), and shuts everything down cleanly: when every URL is done, and
also when ``crawl`` itself is cancelled.
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
            # Waits while the queue is full: this is the backpressure. We read the next URL only
            # when a worker has made room, so a fast source never runs far ahead of the fetches.
            await queue.put(url)

    async def work() -> None:
        while True:
            url = await queue.get()
            try:
                # The semaphore, not the number of workers, bounds the fetches in flight; `async
                # with` gives the permit back however the fetch ends (error and cancel included).
                async with limit:
                    results[url] = await fetch(url)
            except Exception as exc:  # a failed page is a result; CancelledError is not caught
                results[url] = exc
            finally:
                # Exactly one task_done per get, on every path: otherwise join() waits forever.
                queue.task_done()

    tasks = [asyncio.create_task(work()) for _ in range(workers)]
    producer = asyncio.create_task(produce())
    try:
        # join() alone is not enough: it returns as soon as the queue is momentarily empty, even
        # at the start. Only once the producer has put the last URL does "empty and all done"
        # mean "finished".
        await producer
        await queue.join()
    finally:
        # Workers loop forever on queue.get(): stop them, also when crawl itself is cancelled or
        # the producer failed. gather waits until they have really ended, even if we are
        # cancelled while waiting (a cancelled gather cancels its children and waits for them).
        producer.cancel()
        for task in tasks:
            task.cancel()
        await asyncio.gather(producer, *tasks, return_exceptions=True)
    return results
