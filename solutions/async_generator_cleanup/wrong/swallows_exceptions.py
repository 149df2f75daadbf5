"""stream_rows closes in `except BaseException` and returns: the error thrown in, the failed fetch and the cancellation are swallowed.

Caught by: test_error_thrown_in_with_athrow_closes_then_propagates, test_fetch_error_closes_then_propagates, test_first_rows_cancelled_at_each_await_closes_once, test_stream_rows_cancelled_at_each_await_closes_once
"""

import contextlib

async def stream_rows(connect, query):
    conn = await connect()
    try:
        await conn.execute(query)
        while (row := await conn.fetchone()) is not None:
            yield row
    except BaseException:
        await conn.close()
        return
    await conn.close()


async def first_rows(connect, query, n, parse):
    async with contextlib.aclosing(stream_rows(connect, query)) as rows:
        parsed = []
        async for row in rows:
            parsed.append(parse(row))
            if len(parsed) == n:
                break
        return parsed

