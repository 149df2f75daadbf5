"""stream_updates starts the close with create_task and leaves without awaiting it.

Caught by: test_cancel_at_every_await_closes_once_and_ends_cancelled, test_cancelled_while_closing_still_closes_completely, test_cancelled_while_sending_closes_and_ends_cancelled, test_send_and_feed_errors_propagate_after_closing, test_streams_every_update_then_closes_once
"""

import asyncio


_closing = set()


async def stream_updates(conn, updates) -> int:
    sent = 0
    try:
        async for item in updates:
            await conn.send(item)
            sent += 1
    finally:
        # "Cannot be cancelled if I do not await it": but it is not finished when we leave.
        task = asyncio.create_task(conn.close())
        _closing.add(task)
        task.add_done_callback(_closing.discard)
    return sent


async def cancel_and_wait(task: asyncio.Task) -> bool:
    task.cancel()
    await asyncio.wait({task})
    if task.cancelled():
        return True
    task.exception()
    return False
