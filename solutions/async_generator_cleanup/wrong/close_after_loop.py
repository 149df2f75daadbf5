"""stream_rows closes the connection after its loop, not in finally: only an exhausted generator closes.

Caught by: test_aclose_after_two_rows_closes_the_connection, test_error_thrown_in_with_athrow_closes_then_propagates, test_fetch_error_closes_then_propagates, test_first_rows_cancelled_at_each_await_closes_once, test_first_rows_has_closed_when_it_returns, test_first_rows_parse_error_closes_before_raising, test_first_rows_reads_only_the_rows_it_needs, test_stream_rows_cancelled_at_each_await_closes_once, test_stream_rows_closes_once_on_every_way_out
"""

import contextlib

async def stream_rows(connect, query):
    conn = await connect()
    await conn.execute(query)
    while (row := await conn.fetchone()) is not None:
        yield row
    await conn.close()


async def first_rows(connect, query, n, parse):
    async with contextlib.aclosing(stream_rows(connect, query)) as rows:
        parsed = []
        async for row in rows:
            parsed.append(parse(row))
            if len(parsed) == n:
                break
        return parsed

