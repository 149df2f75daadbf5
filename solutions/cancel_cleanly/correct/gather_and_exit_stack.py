"""Waits with asyncio.gather(return_exceptions=True), and closes through an AsyncExitStack.

stream_updates: iterates by hand with anext(), and registers the close on an AsyncExitStack, which
runs it on every way out and re-raises what was in flight; the close runs in a task of its own and
is waited for with a done-callback and an Event, so a cancellation cannot cut it short.
cancel_and_wait: gather with return_exceptions=True collects the task's outcome (exception or
cancellation) as a value, and raises CancelledError only when gather itself, that is the caller,
was cancelled.
"""

import asyncio
import contextlib


async def stream_updates(conn, updates) -> int:
    """Send every update, then close the connection once, completely, however we leave."""
    sent = 0
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_callback(_close_to_the_end, conn)
        feed = aiter(updates)
        while True:
            try:
                item = await anext(feed)
            except StopAsyncIteration:
                break
            await conn.send(item)
            sent += 1
    return sent


async def _close_to_the_end(conn) -> None:
    """Run ``conn.close()`` in its own task, wait until it is done, then re-raise a cancellation."""
    closing = asyncio.ensure_future(conn.close())
    done = asyncio.Event()
    closing.add_done_callback(lambda _: done.set())
    interrupted = None
    while not done.is_set():
        try:
            await done.wait()
        except asyncio.CancelledError as exc:
            interrupted = exc
    if interrupted is not None:
        raise interrupted
    closing.result()


async def cancel_and_wait(task: asyncio.Task) -> bool:
    """Cancel ``task``, wait until it has finished; True if it ended cancelled."""
    task.cancel()
    # The task's CancelledError or exception comes back as a list item (and counts as
    # retrieved); only a cancellation of this gather, i.e. of our caller, raises here.
    await asyncio.gather(task, return_exceptions=True)
    return task.cancelled()
