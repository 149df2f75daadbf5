"""first_rows calls rows.aclose() without await: the close never runs (a coroutine never awaited).

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
    rows = stream_rows(connect, query)
    parsed = []
    try:
        async for row in rows:
            parsed.append(parse(row))
            if len(parsed) == n:
                break
    finally:
        rows.aclose()
    return parsed

