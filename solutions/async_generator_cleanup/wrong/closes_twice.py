"""stream_rows closes at the end of its loop and again in finally: an exhausted generator closes twice.

Caught by: test_first_rows_reads_only_the_rows_it_needs, test_stream_rows_cancelled_at_each_await_closes_once, test_stream_rows_closes_once_on_every_way_out, test_stream_rows_yields_every_row_then_closes_once
"""

import contextlib

async def stream_rows(connect, query):
    conn = await connect()
    try:
        await conn.execute(query)
        while (row := await conn.fetchone()) is not None:
            yield row
        await conn.close()
    finally:
        await conn.close()


async def first_rows(connect, query, n, parse):
    async with contextlib.aclosing(stream_rows(connect, query)) as rows:
        parsed = []
        async for row in rows:
            parsed.append(parse(row))
            if len(parsed) == n:
                break
        return parsed

