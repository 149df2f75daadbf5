"""first_rows reads the whole table and slices the first n: it reads rows it does not need.

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
    async with contextlib.aclosing(stream_rows(connect, query)) as rows:
        return [parse(row) async for row in rows][:n]

