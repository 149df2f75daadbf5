"""Lease.__aexit__ suppresses every Exception it discarded for, not just Discard.

Caught by: test_error_in_the_block_discards_the_connection_and_propagates, test_block_errors_propagate_unchanged_and_discard_the_connection
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
        return exc_type is not None and issubclass(exc_type, Exception)  # not only Discard


@asynccontextmanager
async def lease(pool):
    conn = await pool.acquire()
    try:
        await conn.ping()
    except BaseException:
        pool.release(conn, discard=True)
        raise
    ok = False
    try:
        yield conn
        ok = True
    except Discard:
        pass
    finally:
        pool.release(conn, discard=not ok)
