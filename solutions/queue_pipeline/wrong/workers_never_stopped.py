"""crawl returns after queue.join() without stopping its workers: they wait in queue.get() forever.

Caught by: test_cancel_at_every_await_leaves_no_task, test_cancelled_while_fetching_stops_every_task, test_every_url_fetched_exactly_once_from_a_slow_feed, test_failed_fetches_are_results_and_the_crawl_goes_on, test_leaves_no_task_running_after_returning
"""

import asyncio


async def crawl(urls, fetch, *, workers: int, max_in_flight: int, queue_size: int) -> dict:
    queue: asyncio.Queue = asyncio.Queue(maxsize=queue_size)
    limit = asyncio.Semaphore(max_in_flight)
    results: dict = {}

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
    async for url in urls:
        await queue.put(url)
    await queue.join()
    return results  # the workers are still blocked in queue.get()
