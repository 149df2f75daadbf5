"""cancel_and_wait treats every CancelledError from `await task` as the task's: the caller's own cancellation is swallowed.

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
        return True  # but this may be *our* cancellation, aimed at the caller
    except Exception:
        return False
    return False
