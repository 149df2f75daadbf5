"""Discard is not suppressed: the connection is dropped, but Discard escapes as if it were an error.

Caught by: test_discard_is_suppressed_and_drops_the_connection
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
        try:
            await conn.ping()
        except BaseException:
            self._pool.release(conn, discard=True)
            raise
        self._conn = conn
        return conn

    async def __aexit__(self, exc_type, exc, tb):
        self._pool.release(self._conn, discard=exc_type is not None)
        return False  # never suppresses, not even the lease's own signal


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
    except BaseException:
        pool.release(conn, discard=True)
        raise  # re-raises Discard too
    pool.release(conn)
