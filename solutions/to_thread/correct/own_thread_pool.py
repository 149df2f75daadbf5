"""A ThreadPoolExecutor of `limit` workers sets the limit; it is shut down without blocking the loop.

Every load is submitted at once with run_in_executor(pool, ...): the pool runs `limit` of them
and queues the rest, and a free worker takes the next at once. gather keeps the order. The pool is
shut down with wait=False (a `with` block would join the threads on the loop thread, blocking it
while a load is still running), and cancel_futures=True drops the loads not started yet.
"""

import asyncio
import concurrent.futures


async def fetch_report(report_id, load) -> dict:
    """Return ``load(report_id)``, run in a worker thread."""
    return await asyncio.to_thread(load, report_id)


async def fetch_reports(ids, load, *, limit=4) -> list:
    """Load every report in a pool of ``limit`` threads; return them in the order of ``ids``."""
    loop = asyncio.get_running_loop()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=limit, thread_name_prefix="reports")
    try:
        # Cancelling gather cancels these futures, and with them the jobs still queued in the pool.
        return await asyncio.gather(*(loop.run_in_executor(pool, load, report_id) for report_id in ids))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
