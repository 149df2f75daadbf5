"""stream_rows closes in `except BaseException` and re-raises, and at the normal end; aclose() in finally.

Catching BaseException (not Exception) covers GeneratorExit and CancelledError too; the bare
`raise` hands the very same exception on, so aclose(), athrow() and cancellation behave as if the
generator had not caught it. The normal end closes on its own path, once.
"""


async def stream_rows(connect, query):
    conn = await connect()
    try:
        await conn.execute(query)
        while (row := await conn.fetchone()) is not None:
            yield row
    except BaseException:
        await conn.close()
        raise
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
        await rows.aclose()
    return parsed
