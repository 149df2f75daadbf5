"""lookup_many makes its callbacks in a loop with a lambda that reads the loop variable later: every answer goes to the last future.

Caught by: test_lookup_many_returns_values_in_key_order, test_lookup_many_answers_from_many_threads_at_once, test_lookup_many_raises_the_failing_lookups_error
"""

import asyncio


def _settle(fut, value, error):
    if fut.done():
        return
    if error is not None:
        fut.set_exception(error)
    else:
        fut.set_result(value)




async def lookup(client, key):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    client.get(key, lambda value, error: loop.call_soon_threadsafe(_settle, fut, value, error))
    return await fut


async def lookup_many(client, keys) -> list:
    loop = asyncio.get_running_loop()
    futures = []
    for i, key in enumerate(keys):
        futures.append(loop.create_future())
        # `i` is looked up when the lambda runs, long after the loop has ended: always the last.
        client.get(key, lambda value, error: loop.call_soon_threadsafe(
            _settle, futures[i], value, error))
    return list(await asyncio.gather(*futures))
