"""Checks fut.cancelled() in the client's thread, then schedules set_result: the check is stale when the loop sets it.

Caught by: test_cancelled_while_the_answer_is_on_its_way
"""

import asyncio


def _settle(fut, value, error):
    if fut.done():
        return
    if error is not None:
        fut.set_exception(error)
    else:
        fut.set_result(value)


async def lookup_many(client, keys) -> list:
    return list(await asyncio.gather(*(lookup(client, key) for key in keys)))


async def lookup(client, key):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def on_done(value, error):
        if fut.cancelled():  # true now, in this thread; not necessarily when the loop gets to it
            return
        if error is not None:
            loop.call_soon_threadsafe(fut.set_exception, error)
        else:
            loop.call_soon_threadsafe(fut.set_result, value)

    client.get(key, on_done)
    return await fut
