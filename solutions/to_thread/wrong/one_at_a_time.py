"""fetch_reports awaits fetch_report for each id in turn: the loop is free, but one load at a time.

Caught by: test_cancelled_fetch_reports_ends_at_once_and_starts_nothing_new, test_fetch_reports_keeps_the_order_of_ids, test_fetch_reports_runs_limit_loads_at_once, test_load_errors_reach_the_caller_unchanged, test_next_load_starts_as_soon_as_one_finishes
"""

import asyncio


async def fetch_report(report_id, load) -> dict:
    return await asyncio.to_thread(load, report_id)


async def fetch_reports(ids, load, *, limit=4) -> list:
    return [await fetch_report(report_id, load) for report_id in ids]
