"""fetch_report submits load to a ThreadPoolExecutor and waits with .result(): the loop is blocked.

load runs in a worker thread, but the coroutine waits for it with a blocking call on the loop
thread, so the loop stands still just the same (and leaving the with block joins the thread).

Caught by: test_cancelled_fetch_reports_ends_at_once_and_starts_nothing_new, test_fetch_reports_keeps_the_order_of_ids, test_fetch_reports_never_runs_more_than_limit, test_fetch_reports_runs_limit_loads_at_once, test_heartbeat_keeps_ticking_while_loads_block, test_load_errors_reach_the_caller_unchanged, test_loop_keeps_running_while_load_blocks, test_next_load_starts_as_soon_as_one_finishes
"""

import asyncio
import concurrent.futures


async def fetch_report(report_id, load) -> dict:
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(load, report_id).result()


async def fetch_reports(ids, load, *, limit=4) -> list:
    slots = asyncio.Semaphore(limit)

    async def one(report_id):
        async with slots:
            return await fetch_report(report_id, load)

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(report_id)) for report_id in ids]
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None
    return [task.result() for task in tasks]
