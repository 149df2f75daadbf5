"""fetch_reports uses gather with a Semaphore: when a load fails, the other tasks keep running.

gather raises the first exception but does not cancel its other tasks: they go on, start new
loads, and are still running after fetch_reports has raised.

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

    return await asyncio.gather(*(one(report_id) for report_id in ids))
