"""fetch_reports gathers every load at once and ignores limit ("the thread pool limits them").

The default pool has min(32, cpus + 4) workers: on a 2-core machine 6 loads run at once, not limit.

Caught by: test_fetch_reports_never_runs_more_than_limit, test_load_errors_reach_the_caller_unchanged
"""

import asyncio


async def fetch_report(report_id, load) -> dict:
    return await asyncio.to_thread(load, report_id)


async def fetch_reports(ids, load, *, limit=4) -> list:
    return await asyncio.gather(*(fetch_report(report_id, load) for report_id in ids))
