"""The ping is not guarded: a failed or cancelled ping leaks the connection (no __aexit__ / code after yield runs).

Caught by: test_failed_ping_discards_and_propagates, test_cancel_at_every_await_releases_once_class_form, test_cancel_at_every_await_releases_once_generator_form
"""

from contextlib import asynccontextmanager


class Discard(Exception):
    """Raise inside the block to say "this connection is no good": it is dropped, not an error."""


class Lease:
    def __init__(self, pool):
        self._pool = pool
        self._conn = None

    async def __aenter__(self):
        self._conn = await self._pool.acquire()
        await self._conn.ping()  # if this raises, __aexit__ is never called
        return self._conn

    async def __aexit__(self, exc_type, exc, tb):
        self._pool.release(self._conn, discard=exc_type is not None)
        return exc_type is not None and issubclass(exc_type, Discard)


@asynccontextmanager
async def lease(pool):
    conn = await pool.acquire()
    await conn.ping()  # if this raises, the generator never reaches its try/finally
    ok = False
    try:
        yield conn
        ok = True
    except Discard:
        pass
    finally:
        pool.release(conn, discard=not ok)
