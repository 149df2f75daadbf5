"""on_done stores the answer in a box, and lookup polls the box with asyncio.sleep until it is there.

Caught by: test_lookup_waits_without_polling
"""

import asyncio


async def lookup(client, key):
    box = []
    client.get(key, lambda value, error: box.append((value, error)))
    while not box:
        await asyncio.sleep(0.01)
    value, error = box[0]
    if error is not None:
        raise error
    return value


async def lookup_many(client, keys) -> list:
    return list(await asyncio.gather(*(lookup(client, key) for key in keys)))
