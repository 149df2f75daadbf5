"""lease() is a generator around the Lease class: `async with Lease(pool) as conn: yield conn`.

Lease.__aenter__ uses a success flag and `finally` to discard a connection whose ping did not
complete; __aexit__ releases and returns isinstance(exc, Discard). The block's exception, thrown
into the generator at the yield, goes through Lease.__aexit__; if Lease suppressed it (Discard),
the generator returns normally and asynccontextmanager suppresses it too.
"""

from contextlib import asynccontextmanager


class Discard(Exception):
    """Raise inside the block to say "this connection is no good": it is dropped, not an error."""


class Lease:
    def __init__(self, pool):
        self._pool = pool
        self._conn = None

    async def __aenter__(self):
        conn = await self._pool.acquire()
        pinged = False
        try:
            await conn.ping()
            pinged = True
        finally:
            if not pinged:
                self._pool.release(conn, discard=True)
        self._conn = conn
        return conn

    async def __aexit__(self, exc_type, exc, tb):
        conn, self._conn = self._conn, None
        self._pool.release(conn, discard=exc is not None)
        return isinstance(exc, Discard)


@asynccontextmanager
async def lease(pool):
    async with Lease(pool) as conn:
        yield conn
