"""fetch_report starts the job with run_in_executor but returns the future instead of awaiting it.

The load does run in a thread, but the caller gets an asyncio Future, not the report, and an
exception raised by load is never seen by anyone.

Caught by: test_cancelled_fetch_reports_ends_at_once_and_starts_nothing_new, test_every_load_runs_in_a_worker_thread, test_fetch_report_returns_what_load_returned_in_a_thread, test_fetch_reports_keeps_the_order_of_ids, test_fetch_reports_never_runs_more_than_limit, test_fetch_reports_runs_limit_loads_at_once, test_heartbeat_keeps_ticking_while_loads_block, test_load_errors_reach_the_caller_unchanged, test_loop_keeps_running_while_load_blocks, test_next_load_starts_as_soon_as_one_finishes
"""

import asyncio


async def fetch_report(report_id, load) -> dict:
    loop = asyncio.get_running_loop()
    return loop.run_in_executor(None, load, report_id)


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
