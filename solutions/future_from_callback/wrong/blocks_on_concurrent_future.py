"""Waits for a concurrent.futures.Future with .result() on the loop thread: the event loop is blocked until the answer comes.

Caught by: test_lookup_returns_the_value
"""

import asyncio
import concurrent.futures


async def lookup(client, key):
    answer = concurrent.futures.Future()

    def on_done(value, error):
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(value)

    client.get(key, on_done)
    return answer.result()  # blocks the loop thread until the client's thread answers


async def lookup_many(client, keys) -> list:
    return list(await asyncio.gather(*(lookup(client, key) for key in keys)))
