"""The ping guard is `except Exception`: a cancellation during the ping leaks the connection.

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
        except Exception:  # CancelledError is a BaseException: it goes straight past
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
    except Exception:  # CancelledError is a BaseException: it goes straight past
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
