"""fetch_reports collects the reports with as_completed: in the order the loads finished.

Caught by: test_fetch_reports_keeps_the_order_of_ids, test_load_errors_reach_the_caller_unchanged, test_next_load_starts_as_soon_as_one_finishes
"""

import asyncio


async def fetch_report(report_id, load) -> dict:
    return await asyncio.to_thread(load, report_id)


async def fetch_reports(ids, load, *, limit=4) -> list:
    slots = asyncio.Semaphore(limit)

    async def one(report_id):
        async with slots:
            return await fetch_report(report_id, load)

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(one(report_id)) for report_id in ids]
        return [await done for done in asyncio.as_completed(tasks)]
