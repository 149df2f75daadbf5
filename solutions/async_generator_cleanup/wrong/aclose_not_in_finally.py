"""first_rows awaits aclose() after its loop but not in finally: an error from parse leaves the generator open.

Caught by: test_first_rows_parse_error_closes_before_raising
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
    rows = stream_rows(connect, query)
    parsed = []
    async for row in rows:
        parsed.append(parse(row))
        if len(parsed) == n:
            break
    await rows.aclose()
    return parsed

