"""cancel_and_wait polls task.done() with a sleep between checks: it returns late, not when the task finishes.

Caught by: test_cancel_and_wait_returns_only_after_slow_cleanup
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
    while not task.done():
        await asyncio.sleep(0.1)  # "check every now and then": up to 0.1 s late, and busy
    if task.cancelled():
        return True
    task.exception()
    return False
