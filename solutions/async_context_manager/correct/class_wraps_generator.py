"""Lease is a thin class around the lease() generator: one implementation, two spellings.

lease() guards the ping with try/except BaseException and wraps the block in try/except/else,
releasing in each branch; Lease.__aenter__/__aexit__ forward to the generator's context manager and
return what its __aexit__ returns (True only when the generator swallowed Discard).
"""

from contextlib import asynccontextmanager


class Discard(Exception):
    """Raise inside the block to say "this connection is no good": it is dropped, not an error."""


@asynccontextmanager
async def lease(pool):
    conn = await pool.acquire()
    try:
        await conn.ping()
    except BaseException:
        pool.release(conn, discard=True)
        raise
    try:
        yield conn
    except Discard:
        pool.release(conn, discard=True)  # handled: returning normally suppresses it
    except BaseException:
        pool.release(conn, discard=True)
        raise
    else:
        pool.release(conn)


class Lease:
    def __init__(self, pool):
        self._cm = lease(pool)

    async def __aenter__(self):
        return await self._cm.__aenter__()

    async def __aexit__(self, exc_type, exc, tb):
        return await self._cm.__aexit__(exc_type, exc, tb)
