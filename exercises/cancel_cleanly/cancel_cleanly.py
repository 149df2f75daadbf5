"""Exercise cancel_cleanly: cancelling tasks correctly.

Goal: make `stream_updates` close its connection exactly once, completely, however it ends
(finished, failed, or cancelled, even while closing), and let the cancellation propagate; make
`cancel_and_wait` cancel a task, wait until it has really finished, and report how it ended without
swallowing a cancellation that is aimed at the caller.

Read README.md for the full contract, then run `make check`.
"""

import asyncio


async def stream_updates(conn, updates) -> int:
    """Send every item of the async iterable ``updates`` with ``conn.send``; return how many."""
    sent = 0
    # TODO: if `conn.send` or `updates` raises, or the task is cancelled at any `await` (closing
    # included), this never closes the connection, or leaves it half-closed. Close it exactly
    # once, completely, on every way out, and let the error or the cancellation propagate.
    async for item in updates:
        await conn.send(item)
        sent += 1
    await conn.close()
    return sent


async def cancel_and_wait(task: asyncio.Task) -> bool:
    """Cancel ``task``, wait until it has finished, and return True if it ended cancelled."""
    task.cancel()
    # TODO: `cancel()` only asks. Wait until the task has finished (its cleanup included), then
    # say how it ended: True if cancelled, False if it returned or raised (do not re-raise its
    # exception). If *your caller* is cancelled while you wait, let that cancellation propagate.
    return task.cancelled()
