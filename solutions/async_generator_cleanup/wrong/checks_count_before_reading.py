"""first_rows checks `len(parsed) == n` before appending: it fetches row n + 1 only to throw it away.

Caught by: test_first_rows_has_closed_when_it_returns, test_first_rows_reads_only_the_rows_it_needs
"""

import contextlib


async def stream_rows(connect, query):
    conn = await connect()
    try:
        await conn.execute(query)
        while (row := await conn.fetchone()) is not None:
            yield row
    finally:
        await conn.close()


async def first_rows(connect, query, n, parse):
    parsed = []
    async with contextlib.aclosing(stream_rows(connect, query)) as rows:
        async for row in rows:
            if len(parsed) == n:
                break
            parsed.append(parse(row))
    return parsed

