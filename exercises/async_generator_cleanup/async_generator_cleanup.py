"""Exercise async_generator_cleanup: an async generator that releases what it holds.

Goal: make `stream_rows` close its connection exactly once however the generator stops: when the
rows run out, when its consumer stops early (`aclose()`), when an exception is thrown into it
(`athrow()`), when reading fails, and when the consumer is cancelled. Make `first_rows` close the
generator itself, so the connection is closed before `first_rows` returns or raises.

Read README.md for the full contract, then run `make check`.
"""


async def stream_rows(connect, query):
    """Yield each row of ``query``, read with ``conn.fetchone()`` from ``conn = await connect()``."""
    conn = await connect()
    await conn.execute(query)
    # TODO: this only closes the connection when every row has been read. A consumer that stops
    # early, an exception thrown in at the `yield`, a failed fetch, or a cancellation at any
    # `await` all leave it open. Close it exactly once on every way out, and let the exception
    # (whatever it is) reach the consumer.
    while (row := await conn.fetchone()) is not None:
        yield row
    await conn.close()


async def first_rows(connect, query, n, parse):
    """Return ``[parse(row)]`` for the first ``n`` rows of ``query`` (fewer if there are fewer)."""
    parsed = []
    # TODO: `break` (or an exception from `parse`) leaves the generator suspended at its `yield`
    # with the connection open; it is only closed later, when the garbage collector notices.
    # Close the generator yourself before you return or raise.
    async for row in stream_rows(connect, query):
        parsed.append(parse(row))
        if len(parsed) == n:
            break
    return parsed
