"""Passes the client's error on as the result: lookup returns the exception instead of raising it.

Caught by: test_lookup_raises_the_error, test_the_future_is_only_touched_on_the_loop_thread, test_lookup_many_raises_the_failing_lookups_error
"""

import asyncio


def _settle(fut, value, error):
    if not fut.done():
        fut.set_result(error if error is not None else value)


async def lookup(client, key):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def on_done(value, error):
        loop.call_soon_threadsafe(_settle, fut, value, error)

    client.get(key, on_done)
    return await fut


async def lookup_many(client, keys) -> list:
    return list(await asyncio.gather(*(lookup(client, key) for key in keys)))
