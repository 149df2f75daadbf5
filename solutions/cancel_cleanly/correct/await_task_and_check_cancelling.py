"""Awaits the task itself and tells whose cancellation it was by comparing cancelling() counts.

stream_updates: try/finally, with the close run as a task and awaited through asyncio.shield in a
loop until it is done (shield, unlike `await closing`, never passes our cancellation on to it).
cancel_and_wait: `await task`, catching whatever the task ended with, then comparing the caller's
`cancelling()` count with its value on entry: a larger count means the caller was cancelled while
waiting, whether `await task` raised CancelledError or (task ignoring cancellation) returned.
"""

import asyncio


async def stream_updates(conn, updates) -> int:
    """Send every update, then close the connection once, completely, however we leave."""
    sent = 0
    try:
        async for item in updates:
            await conn.send(item)
            sent += 1
    finally:
        await _close_shielded(conn)
    return sent


async def _close_shielded(conn) -> None:
    """Await ``conn.close()`` to its end; re-raise a cancellation that arrived meanwhile."""
    closing = asyncio.ensure_future(conn.close())
    cancelled = False
    while True:
        try:
            await asyncio.shield(closing)
        except asyncio.CancelledError:
            if closing.done():  # the close itself was cancelled (not by us): nothing to wait for
                raise
            cancelled = True  # ours: keep waiting for the close, re-raise afterwards
        else:
            break
    if cancelled:
        raise asyncio.CancelledError


async def cancel_and_wait(task: asyncio.Task) -> bool:
    """Cancel ``task``, wait until it has finished; True if it ended cancelled."""
    me = asyncio.current_task()
    assert me is not None
    before = me.cancelling()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass  # the task's, or ours: decided below
    except Exception:
        pass  # the task failed: reported as False, never re-raised
    if me.cancelling() > before:
        # Someone cancelled us while we waited: that is not ours to swallow.
        raise asyncio.CancelledError
    return task.cancelled()
