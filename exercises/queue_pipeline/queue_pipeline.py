"""Exercise queue_pipeline: queues, backpressure and bounded concurrency.

Goal: make `crawl` read URLs into a *bounded* asyncio.Queue (the reader waits while it is full),
let `workers` worker tasks fetch them with at most `max_in_flight` fetches at once, record every
URL's result (or the exception its fetch raised) exactly once, and shut down cleanly: no task left
running when crawl returns, and none when crawl is cancelled.

Read README.md for the full contract, then run `make check`.
"""

import asyncio


async def crawl(urls, fetch, *, workers: int, max_in_flight: int, queue_size: int) -> dict:
    """Fetch every URL of the async iterable ``urls`` exactly once; return ``{url: result}``."""
    # TODO: an unbounded queue lets the reader run arbitrarily far ahead of the fetches: bound it
    # with queue_size, so that `await queue.put(...)` waits while it is full (backpressure).
    queue = asyncio.Queue()
    results = {}

    async def work():
        while True:
            url = await queue.get()
            # TODO: `workers` is not the limit on fetches in flight: use a Semaphore.
            # TODO: a fetch that raises must not kill the worker, and every get() needs exactly
            # one task_done(), whatever happens, or queue.join() waits forever.
            results[url] = await fetch(url)
            queue.task_done()

    running = set()  # a reference to every task we start: the loop only keeps weak ones
    for _ in range(workers):
        running.add(asyncio.create_task(work()))
    async for url in urls:
        await queue.put(url)
    await queue.join()
    # TODO: the workers in `running` are still waiting in queue.get(): stop them and wait until
    # they have ended, here and also when crawl itself is cancelled (or fails) at any await.
    return results
