"""A sliding window by hand: at most `limit` tasks, asyncio.wait(FIRST_COMPLETED) to refill it.

Results are stored by index, so the order of ids is kept. However fetch_reports ends (returned,
failed, cancelled), the `finally` cancels the tasks still running and waits until they have ended.
"""

import asyncio


async def fetch_report(report_id, load) -> dict:
    """Return ``load(report_id)``, run in a worker thread."""
    return await asyncio.to_thread(load, report_id)


async def fetch_reports(ids, load, *, limit=4) -> list:
    """Keep up to ``limit`` loads running; return the reports in the order of ``ids``."""
    ids = list(ids)
    results = [None] * len(ids)
    running: dict[asyncio.Task, int] = {}
    next_index = 0
    try:
        while next_index < len(ids) or running:
            while next_index < len(ids) and len(running) < limit:
                task = asyncio.ensure_future(fetch_report(ids[next_index], load))
                running[task] = next_index
                next_index += 1
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                results[running.pop(task)] = task.result()  # a failed load raises here
        return results
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)
            for task in running:  # retrieve what they ended with: the error we raise is enough
                if not task.cancelled():
                    task.exception()
