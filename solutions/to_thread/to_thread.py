"""Blocking libraries in async code: the reference solution of to_thread.

``fetch_report`` runs one call of a blocking (synchronous) library function in a worker thread, so
the event loop keeps serving other coroutines meanwhile; ``fetch_reports`` runs many of them, at
most ``limit`` at once, and returns the reports in the order of ``ids``.
"""

import asyncio


async def fetch_report(report_id, load) -> dict:
    """Return ``load(report_id)``, run in a worker thread; its exception propagates unchanged."""
    # to_thread hands the *function and its arguments* to the loop's default thread pool and
    # suspends us until the thread is done. Writing `load(report_id)` here instead would run the
    # blocking call on the loop thread, and every other coroutine would wait for it.
    # An exception raised in the thread is re-raised here, the same object.
    return await asyncio.to_thread(load, report_id)


async def fetch_reports(ids, load, *, limit=4) -> list:
    """Load every report of ``ids`` in worker threads, at most ``limit`` at once; keep the order.

    If a load raises, that exception propagates and no task is left running. If we are cancelled,
    we end cancelled at once: loads already running in threads cannot be stopped, they finish on
    their own and their results are dropped; loads not started yet never start.
    """
    # The semaphore, not the thread pool, sets the limit: the default pool has min(32, cpus + 4)
    # workers, a number that depends on the machine, and it is shared with everything else.
    slots = asyncio.Semaphore(limit)

    async def one(report_id):
        async with slots:
            return await fetch_report(report_id, load)

    try:
        # A TaskGroup cancels the other tasks as soon as one fails, and waits until every task
        # has ended before leaving: nothing is left running behind us, on any way out.
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(report_id)) for report_id in ids]
    except ExceptionGroup as failed:
        # The group wraps the load's error; our caller asked for fetch_report's behaviour: the
        # exception itself. (Only the first is raised if two loads failed at the same moment.)
        raise failed.exceptions[0] from None
    # Tasks in the order of ids, so results are too, whatever order the loads finished in.
    return [task.result() for task in tasks]
