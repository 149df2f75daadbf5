"""cancel_and_wait checks cancelling() only when `await task` raises: a task that ignores cancellation makes it lose the caller's.

Caught by: test_callers_own_cancellation_propagates
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
    except asyncio.CancelledError:
        if asyncio.current_task().cancelling():
            raise
        return True
    except Exception:
        return False
    # If the caller was cancelled while we awaited a task that then returned normally, that
    # cancellation is lost here: nothing raises it again.
    return False
