"""fetch_report catches the load's exception and returns None instead of letting it propagate.

Caught by: test_load_errors_reach_the_caller_unchanged
"""

import asyncio


async def fetch_report(report_id, load) -> dict:
    try:
        return await asyncio.to_thread(load, report_id)
    except Exception:
        return None


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
