"""fetch_reports uses a TaskGroup but lets its ExceptionGroup escape: the load's error arrives wrapped.

Caught by: test_load_errors_reach_the_caller_unchanged
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
    return [task.result() for task in tasks]
