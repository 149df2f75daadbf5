"""stream_updates shields the close but leaves as soon as it is cancelled, before the close has finished.

Caught by: test_cancel_at_every_await_closes_once_and_ends_cancelled, test_cancelled_while_closing_still_closes_completely
"""

import asyncio


async def stream_updates(conn, updates) -> int:
    sent = 0
    try:
        async for item in updates:
            await conn.send(item)
            sent += 1
    finally:
        # shield keeps close() running, but a cancellation still ends *this* await at once.
        await asyncio.shield(conn.close())
    return sent


async def cancel_and_wait(task: asyncio.Task) -> bool:
    task.cancel()
    await asyncio.wait({task})
    if task.cancelled():
        return True
    task.exception()
    return False
