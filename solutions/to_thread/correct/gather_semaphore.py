"""to_thread for each load, a Semaphore for the limit, gather for the order, and explicit cleanup.

gather returns the results in the order of its arguments. It does not cancel the other tasks
when one fails, and it leaves them running if it is cancelled before they started, so the
`finally` cancels every task and waits until all have ended.
"""

import asyncio


async def fetch_report(report_id, load) -> dict:
    """Return ``load(report_id)``, run in a worker thread."""
    return await asyncio.to_thread(load, report_id)


async def fetch_reports(ids, load, *, limit=4) -> list:
    """Load every report, at most ``limit`` at once, in the order of ``ids``."""
    slots = asyncio.Semaphore(limit)

    async def one(report_id):
        async with slots:
            return await fetch_report(report_id, load)

    tasks = [asyncio.ensure_future(one(report_id)) for report_id in ids]
    try:
        return await asyncio.gather(*tasks)
    finally:
        # After a failure or a cancellation, the tasks still waiting for a slot must not go on to
        # start loads. Cancelling a task that awaits to_thread ends it at once; its thread runs on.
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)  # never raises their outcomes: gather has seen them
