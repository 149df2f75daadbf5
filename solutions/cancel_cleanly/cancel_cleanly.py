"""Cancelling tasks correctly: the reference solution of cancel_cleanly.

``stream_updates`` sends a stream of updates over a connection and closes it exactly once, completely,
however it ends: finished, failed, or cancelled (even when the cancellation lands inside the close).
``cancel_and_wait`` cancels a task and waits until it has really finished, its cleanup included, and
tells a cancellation of the task apart from a cancellation of the caller.
"""

import asyncio


async def stream_updates(conn, updates) -> int:
    """Send every item of the async iterable ``updates`` with ``conn.send``; return how many.

    The connection is closed exactly once, completely, before this returns or raises. Errors from
    ``conn.send`` or ``updates`` propagate; a cancellation propagates wherever it lands.
    """
    sent = 0
    try:
        async for item in updates:
            await conn.send(item)
            sent += 1
    finally:
        # Runs on every way out: normal end, an exception, and CancelledError (a BaseException,
        # which an `except Exception` would miss). The CancelledError, if any, is re-raised when
        # this block ends: the task still ends cancelled.
        await _close_completely(conn)
    return sent


async def _close_completely(conn) -> None:
    """Run ``conn.close()`` to its end even if we are cancelled meanwhile, then re-raise that.

    A plain ``await conn.close()`` would be interrupted half-way if the cancellation arrived while
    closing (or arrived again), leaving the connection half-closed. So the close runs in a task of
    its own, which our cancellation does not reach, and we wait for it until it is done.
    """
    closing = asyncio.ensure_future(conn.close())
    cancelled: asyncio.CancelledError | None = None
    while not closing.done():
        try:
            # asyncio.wait never cancels what it waits for, and never raises its outcome: a
            # CancelledError here is always aimed at us.
            await asyncio.wait({closing})
        except asyncio.CancelledError as exc:
            cancelled = exc  # remember it, finish closing, and only then give it back
    if cancelled is not None:
        raise cancelled
    closing.result()  # a failure of close() itself propagates too


async def cancel_and_wait(task: asyncio.Task) -> bool:
    """Cancel ``task`` and wait until it has finished; True if it ended cancelled.

    If the task returned or raised instead, return False (its exception is retrieved, not
    re-raised). If the caller itself is cancelled while waiting, that cancellation propagates.
    """
    task.cancel()
    # `await task` would raise the task's own CancelledError (or exception) in *our* task, and we
    # could not tell it from a cancellation aimed at us. asyncio.wait only waits: if it raises
    # CancelledError, that is our caller being cancelled, and it propagates from here untouched.
    await asyncio.wait({task})
    if task.cancelled():
        return True
    # Retrieve the exception (if any) so asyncio does not log "exception was never retrieved";
    # the caller asked for "how did it end", not for the error.
    task.exception()
    return False
