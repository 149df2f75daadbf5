"""stream_updates closes with a plain `finally: await conn.close()`: a cancellation inside close cuts it short.

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
        await conn.close()  # interrupted half-way if the cancellation lands here
    return sent


async def cancel_and_wait(task: asyncio.Task) -> bool:
    task.cancel()
    await asyncio.wait({task})
    if task.cancelled():
        return True
    task.exception()
    return False
