"""Async context managers: the reference solution of async_context_manager.

A lease borrows one connection from a pool for the length of an ``async with`` block, written twice:
as a class with ``__aenter__``/``__aexit__`` (``Lease``) and as a generator with
``@asynccontextmanager`` (``lease``). Both give the connection back exactly once on every way out,
discard it when the block did not end normally, let every exception and every cancellation
propagate, and suppress one exception only: ``Discard``, the lease's own signal.
"""

from contextlib import asynccontextmanager


class Discard(Exception):
    """Raise inside the block to say "this connection is no good": it is dropped, not an error."""


async def _checked_out(pool):
    """Acquire a connection and ping it; if anything fails after the acquire, discard it.

    Neither ``__aexit__`` nor the generator's ``finally`` runs for a failure *before* the
    connection is handed out, so this step must clean up after itself.
    """
    conn = await pool.acquire()
    try:
        await conn.ping()
    except BaseException:
        # BaseException: a cancellation that lands on the ping is a way out too, and the
        # connection was half-way through a round trip, so it cannot be reused.
        pool.release(conn, discard=True)
        raise
    return conn


class Lease:
    """``async with Lease(pool) as conn:`` borrows one connection for the block."""

    def __init__(self, pool) -> None:
        self._pool = pool
        self._conn = None

    async def __aenter__(self):
        self._conn = await _checked_out(self._pool)
        return self._conn

    async def __aexit__(self, exc_type, exc, tb) -> bool:
        conn, self._conn = self._conn, None
        # Any way out but the normal one (an error, Discard, CancelledError) leaves the connection
        # in an unknown state: discard it rather than hand it to the next user.
        self._pool.release(conn, discard=exc_type is not None)
        # A true return value swallows the exception. Only Discard is ours to swallow: we asked
        # for it and have just handled it. Everything else, CancelledError above all, propagates.
        return exc_type is not None and issubclass(exc_type, Discard)


@asynccontextmanager
async def lease(pool):
    """``async with lease(pool) as conn:`` does what ``Lease`` does, as a generator."""
    conn = await _checked_out(pool)
    ok = False
    try:
        # Whatever the block raises (CancelledError included) is thrown into the generator here.
        yield conn
        ok = True
    except Discard:
        pass  # returning normally after an exception tells asynccontextmanager to suppress it
    finally:
        # finally, not `except Exception`: a cancellation is not an Exception, and it must
        # release the connection too. The exception, if any, is re-raised when this block ends.
        pool.release(conn, discard=not ok)
