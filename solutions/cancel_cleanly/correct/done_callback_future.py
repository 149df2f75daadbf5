"""Waits on a future that the task's done-callback resolves, and closes through a context manager.

stream_updates: an async context manager whose __aexit__ runs the close in a task of its own and
waits on it with asyncio.wait until it is done, whatever cancellations arrive meanwhile; it then
lets the original exception (or a cancellation that arrived while closing) propagate.
cancel_and_wait: a plain future that the task's done-callback resolves; awaiting it raises
CancelledError only if we are cancelled (nobody else touches that future), and then the callback
is removed before the cancellation propagates.
"""

import asyncio


class _ClosesConnection:
    """``async with _ClosesConnection(conn):`` closes ``conn`` exactly once, to its end."""

    def __init__(self, conn) -> None:
        self.conn = conn

    async def __aenter__(self):
        return self.conn

    async def __aexit__(self, exc_type, exc, tb) -> bool:
        closing = asyncio.ensure_future(self.conn.close())
        cancelled_while_closing = False
        while not closing.done():
            try:
                await asyncio.wait([closing])
            except asyncio.CancelledError:
                cancelled_while_closing = True
        closing.result()
        if cancelled_while_closing:
            raise asyncio.CancelledError
        return False  # never suppress: the error or cancellation in flight propagates


async def stream_updates(conn, updates) -> int:
    """Send every update, then close the connection once, completely, however we leave."""
    sent = 0
    async with _ClosesConnection(conn):
        async for item in updates:
            await conn.send(item)
            sent += 1
    return sent


async def cancel_and_wait(task: asyncio.Task) -> bool:
    """Cancel ``task``, wait until it has finished; True if it ended cancelled."""
    finished = asyncio.get_running_loop().create_future()

    def on_done(_task: asyncio.Task) -> None:
        if not finished.done():
            finished.set_result(None)

    task.add_done_callback(on_done)
    task.cancel()
    try:
        await finished  # only our own cancellation can make this raise
    finally:
        task.remove_done_callback(on_done)
    if task.cancelled():
        return True
    task.exception()  # retrieved: asyncio would otherwise log "exception was never retrieved"
    return False
