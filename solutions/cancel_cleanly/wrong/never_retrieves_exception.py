"""cancel_and_wait waits with asyncio.wait but never retrieves the task's exception ("never retrieved").

Caught by: test_cancel_and_wait_keeps_a_failed_cleanup_to_itself
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
    await asyncio.wait({task})
    return task.cancelled()  # a failed task's exception is never looked at
