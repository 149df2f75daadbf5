"""stream_updates closes in an `except` clause and again in `finally`: two closes on every failure.

Caught by: test_cancel_at_every_await_closes_once_and_ends_cancelled, test_cancelled_while_sending_closes_and_ends_cancelled, test_send_and_feed_errors_propagate_after_closing
"""

import asyncio


async def stream_updates(conn, updates) -> int:
    sent = 0
    try:
        async for item in updates:
            await conn.send(item)
            sent += 1
    except BaseException:
        await _close_completely(conn)  # close on failure...
        raise
    finally:
        await _close_completely(conn)  # ...and close always: twice on failure
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
    if task.cancelled():
        return True
    task.exception()
    return False
