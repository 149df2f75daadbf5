"""A cancelled block gives its connection back as healthy: only Exceptions count as failures.

Caught by: test_cancel_at_every_await_releases_once_class_form, test_cancel_at_every_await_releases_once_generator_form
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
        failed = exc_type is not None and issubclass(exc_type, Exception)  # misses CancelledError
        self._pool.release(self._conn, discard=failed)
        return exc_type is not None and issubclass(exc_type, Discard)


@asynccontextmanager
async def lease(pool):
    conn = await pool.acquire()
    try:
        await conn.ping()
    except BaseException:
        pool.release(conn, discard=True)
        raise
    discard = False
    try:
        yield conn
    except Discard:
        discard = True
    except Exception:  # CancelledError is a BaseException: it reaches finally with discard False
        discard = True
        raise
    finally:
        pool.release(conn, discard=discard)
