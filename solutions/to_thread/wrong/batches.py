"""fetch_reports loads the ids in batches of limit: one slow load holds up its whole batch.

Caught by: test_fetch_reports_keeps_the_order_of_ids, test_load_errors_reach_the_caller_unchanged, test_next_load_starts_as_soon_as_one_finishes
"""

import asyncio


async def fetch_report(report_id, load) -> dict:
    return await asyncio.to_thread(load, report_id)


async def fetch_reports(ids, load, *, limit=4) -> list:
    results = []
    for start in range(0, len(ids), limit):
        batch = ids[start:start + limit]
        results += await asyncio.gather(*(fetch_report(report_id, load) for report_id in batch))
    return results
