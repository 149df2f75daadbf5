"""stream_rows closes in `except Exception`: GeneratorExit (aclose) and CancelledError are BaseExceptions and skip it.

Caught by: test_aclose_after_two_rows_closes_the_connection, test_first_rows_cancelled_at_each_await_closes_once, test_first_rows_has_closed_when_it_returns, test_first_rows_parse_error_closes_before_raising, test_first_rows_reads_only_the_rows_it_needs, test_stream_rows_cancelled_at_each_await_closes_once, test_stream_rows_closes_once_on_every_way_out
"""

import contextlib

async def stream_rows(connect, query):
    conn = await connect()
    try:
        await conn.execute(query)
        while (row := await conn.fetchone()) is not None:
            yield row
    except Exception:
        await conn.close()
        raise
    await conn.close()


async def first_rows(connect, query, n, parse):
    async with contextlib.aclosing(stream_rows(connect, query)) as rows:
        parsed = []
        async for row in rows:
            parsed.append(parse(row))
            if len(parsed) == n:
                break
        return parsed

