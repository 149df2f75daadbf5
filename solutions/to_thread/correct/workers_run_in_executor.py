"""run_in_executor(None, functools.partial(...)) in `limit` worker tasks that share the list of ids.

Each worker takes the next (index, id) from a shared iterator and stores the report at its index,
so the order of ids is kept whatever order the loads finish in; a free worker takes the next id
at once. loop.run_in_executor takes no keyword arguments, hence functools.partial (it does not
copy the context variables into the thread, which asyncio.to_thread does: no matter here).
"""

import asyncio
import functools


async def fetch_report(report_id, load) -> dict:
    """Return ``load(report_id)``, run in the loop's default thread pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(load, report_id))


async def fetch_reports(ids, load, *, limit=4) -> list:
    """Load every report with ``limit`` workers; return them in the order of ``ids``."""
    ids = list(ids)
    results = [None] * len(ids)
    todo = iter(enumerate(ids))  # shared: each item is taken by exactly one worker

    async def worker():
        for index, report_id in todo:
            results[index] = await fetch_report(report_id, load)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(limit, len(ids))):
                group.create_task(worker())
    except BaseExceptionGroup as failed:
        # Re-raise the load's own exception, not the group that wraps it.
        raise failed.exceptions[0] from None
    return results
