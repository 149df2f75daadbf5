"""lease() releases in `except` and again in `finally`: the connection is given back twice after an error.

Caught by: test_block_errors_propagate_unchanged_and_discard_the_connection, test_discard_is_suppressed_and_drops_the_connection, test_cancel_at_every_await_releases_once_generator_form
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
        return exc_type is not None and issubclass(exc_type, Discard)


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
        pool.release(conn, discard=True)
    except BaseException:
        pool.release(conn, discard=True)
        raise
    finally:
        pool.release(conn)  # runs after the except blocks too
