"""An AsyncExitStack owns the close; first_rows pulls rows with anext() and closes in finally.

The exit stack runs its callbacks on every way out of its block, like `finally`. The consumer does
by hand what `contextlib.aclosing` does: `await rows.aclose()` in a `finally`.
"""

import contextlib


async def stream_rows(connect, query):
    async with contextlib.AsyncExitStack() as stack:
        conn = await connect()
        stack.push_async_callback(conn.close)
        await conn.execute(query)
        while True:
            row = await conn.fetchone()
            if row is None:
                return
            yield row


async def first_rows(connect, query, n, parse):
    rows = stream_rows(connect, query)
    try:
        parsed = []
        for _ in range(n):
            row = await anext(rows, None)
            if row is None:
                break
            parsed.append(parse(row))
        return parsed
    finally:
        await rows.aclose()
