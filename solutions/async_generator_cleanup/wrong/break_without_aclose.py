"""first_rows breaks out of a plain `async for`: the generator is closed later by the garbage collector, after first_rows returned.

Caught by: test_first_rows_cancelled_at_each_await_closes_once, test_first_rows_has_closed_when_it_returns, test_first_rows_parse_error_closes_before_raising, test_first_rows_reads_only_the_rows_it_needs
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
    async for row in stream_rows(connect, query):
        parsed.append(parse(row))
        if len(parsed) == n:
            break
    return parsed

