"""lookup catches CancelledError and returns None: a cancelled lookup must end cancelled.

Caught by: test_cancelled_before_the_value_arrives, test_cancelled_before_the_error_arrives, test_cancelled_while_the_answer_is_on_its_way
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
    client.get(key, lambda value, error: loop.call_soon_threadsafe(_settle, fut, value, error))
    try:
        return await fut
    except asyncio.CancelledError:
        return None  # "nobody wants it any more": but the caller asked to cancel, not for None
