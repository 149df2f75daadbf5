"""Cleaning up async generators: the reference solution of async_generator_cleanup.

``stream_rows`` is an async generator that opens a database connection, streams the rows of a
query, and closes the connection however it stops: exhausted, closed early by its consumer
(``aclose()``), with an exception thrown in (``athrow()``), failed, or cancelled.
``first_rows`` consumes it, takes the first ``n`` parsed rows, and closes the generator itself,
before it returns or raises, instead of leaving that to the garbage collector.
"""

import contextlib


async def stream_rows(connect, query):
    """Yield each row of ``query``, read with ``conn.fetchone()`` from ``conn = await connect()``.

    The connection is closed exactly once, before the generator finishes, however it finishes.
    """
    conn = await connect()
    try:
        await conn.execute(query)
        while (row := await conn.fetchone()) is not None:
            # The consumer may never come back for the next row. If it calls aclose(), this yield
            # raises GeneratorExit; athrow(exc) raises exc here; a cancellation of the consumer
            # lands on the await above, inside the generator. All are BaseExceptions or may be,
            # and `finally` runs for every one of them (an `except Exception` would miss two).
            yield row
    finally:
        # Awaiting in `finally` is allowed: aclose() runs the generator until it has finished.
        # Never `yield` here, and never swallow the exception: it must reach the consumer.
        await conn.close()


async def first_rows(connect, query, n, parse):
    """Return ``[parse(row)]`` for the first ``n`` rows of ``query`` (fewer if there are fewer).

    Reads no row beyond the n-th, and has closed the connection before it returns or raises.
    """
    # aclosing() awaits rows.aclose() when the block exits, by break, return or exception. A bare
    # `async for ...: break` leaves the generator suspended at its yield, connection open, until
    # the garbage collector hands it to the event loop to close, some time after we returned.
    async with contextlib.aclosing(stream_rows(connect, query)) as rows:
        parsed = []
        async for row in rows:
            parsed.append(parse(row))
            if len(parsed) == n:
                break  # checked after appending: asking for row n + 1 would be a wasted read
        return parsed
