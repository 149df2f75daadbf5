"""contextlib.suppress(Discard) in the generator, and an AsyncExitStack callback in the class.

lease(): one try/finally holds a `discard` flag that starts True and is cleared only when the block
ends normally; `with suppress(Discard)` around the yield swallows Discard and nothing else.
Lease: the release is pushed on an AsyncExitStack as soon as the connection is acquired, so a
failed ping unwinds it; __aexit__ unwinds the stack with the block's exception.
"""

from contextlib import AsyncExitStack, asynccontextmanager, suppress


class Discard(Exception):
    """Raise inside the block to say "this connection is no good": it is dropped, not an error."""


@asynccontextmanager
async def lease(pool):
    conn = await pool.acquire()
    discard = True
    try:
        await conn.ping()
        with suppress(Discard):
            yield conn
            discard = False
    finally:
        pool.release(conn, discard=discard)


class Lease:
    def __init__(self, pool):
        self._pool = pool
        self._stack = AsyncExitStack()

    async def __aenter__(self):
        async with AsyncExitStack() as stack:
            conn = await self._pool.acquire()
            stack.push(lambda exc_type, exc, tb: self._release(conn, exc_type))
            await conn.ping()
            self._stack = stack.pop_all()  # success: keep the release for __aexit__
        return conn

    def _release(self, conn, exc_type) -> bool:
        self._pool.release(conn, discard=exc_type is not None)
        return exc_type is not None and issubclass(exc_type, Discard)

    async def __aexit__(self, exc_type, exc, tb):
        return await self._stack.__aexit__(exc_type, exc, tb)
