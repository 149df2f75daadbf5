"""cancel_and_wait awaits the task and catches only Exception: the task's CancelledError escapes into the caller.

Caught by: test_callers_own_cancellation_propagates, test_cancel_and_wait_false_unless_the_task_ended_cancelled, test_cancel_and_wait_returns_only_after_slow_cleanup, test_cancel_and_wait_waits_for_the_cleanup
"""

import asyncio


async def stream_updates(conn, updates) -> int:
    sent = 0
    try:
        async for item in updates:
            await conn.send(item)
            sent += 1
    finally:
        await _close_completely(conn)
    return sent


async def _close_completely(conn) -> None:
    closing = asyncio.ensure_future(conn.close())
    cancelled = None
    while not closing.done():
        try:
            await asyncio.wait({closing})
        except asyncio.CancelledError as exc:
            cancelled = exc
    if cancelled is not None:
        raise cancelled
    closing.result()


async def cancel_and_wait(task: asyncio.Task) -> bool:
    task.cancel()
    try:
        await task
    except Exception:
        return False
    return task.cancelled()
