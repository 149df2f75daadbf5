"""The connection is opened by an @asynccontextmanager helper; first_rows returns from inside aclosing.

`async with connection(connect) as conn:` around the `yield` closes the connection when the
generator is exhausted, closed (GeneratorExit), thrown into, or cancelled: the context manager
sees each of them as an exception leaving its block.
"""

from contextlib import aclosing, asynccontextmanager


@asynccontextmanager
async def connection(connect):
    conn = await connect()
    try:
        yield conn
    finally:
        await conn.close()


async def stream_rows(connect, query):
    async with connection(connect) as conn:
        await conn.execute(query)
        row = await conn.fetchone()
        while row is not None:
            yield row
            row = await conn.fetchone()


async def first_rows(connect, query, n, parse):
    parsed = []
    async with aclosing(stream_rows(connect, query)) as rows:
        async for row in rows:
            parsed.append(parse(row))
            if len(parsed) >= n:
                return parsed
    return parsed
