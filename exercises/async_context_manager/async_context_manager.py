"""Exercise async_context_manager: async context managers, as a class and as a generator.

Goal: borrow one connection from a pool for the length of an `async with` block, twice over: as a
class with `__aenter__`/`__aexit__` (`Lease`) and as an `@asynccontextmanager` generator (`lease`).
On every way out (normal end, error, cancellation) the connection goes back to the pool exactly
once, discarded unless the block ended normally. Every exception and every cancellation propagates,
except `Discard`: the block raises it to ask the lease to drop the connection, and the lease, having
done so, suppresses it.

Read README.md for the full contract, then run `make check`.
"""

from contextlib import asynccontextmanager


class Discard(Exception):
    """Raise inside the block to say "this connection is no good": it is dropped, not an error."""


class Lease:
    """``async with Lease(pool) as conn:`` borrows one connection for the block."""

    def __init__(self, pool) -> None:
        self._pool = pool
        self._conn = None

    async def __aenter__(self):
        self._conn = await self._pool.acquire()
        # TODO: if the ping fails (or the task is cancelled while it runs), __aexit__ will never
        # be called, and the connection is never given back. Clean up here, then re-raise.
        await self._conn.ping()
        return self._conn

    async def __aexit__(self, exc_type, exc, tb):
        # TODO: discard the connection unless the block ended normally, and suppress Discard
        # (and nothing else) by what this method returns.
        self._pool.release(self._conn)


@asynccontextmanager
async def lease(pool):
    """``async with lease(pool) as conn:`` does what ``Lease`` does, as a generator."""
    conn = await pool.acquire()
    await conn.ping()  # TODO: same problem as in Lease.__aenter__
    # TODO: whatever the block raises (an error, Discard, CancelledError) is raised right here, at
    # the `yield`: as written, the connection is then never given back.
    yield conn
    pool.release(conn)
