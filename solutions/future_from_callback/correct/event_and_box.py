"""An asyncio.Event set through call_soon_threadsafe, with the answer kept in a box beside it.

on_done stores (value, error) in a plain list (a single append is safe from any thread) and asks
the loop to set the Event; the coroutine waits on the Event, then returns or raises. Nothing is
ever "completed" on a cancelled object: a late set() of an Event nobody waits for is harmless.
lookup_many: requests every key first, then awaits the lookups in key order as tasks.
"""

import asyncio


async def lookup(client, key):
    """Ask ``client.get(key, on_done)``; return the value it calls back with, or raise its error."""
    loop = asyncio.get_running_loop()
    arrived = asyncio.Event()
    box: list = []

    def on_done(value, error) -> None:
        box.append((value, error))  # written before the loop is told, so it is there when read
        loop.call_soon_threadsafe(arrived.set)

    client.get(key, on_done)
    await arrived.wait()
    value, error = box[0]
    if error is not None:
        raise error
    return value


async def lookup_many(client, keys) -> list:
    """Look every key up at once; return the values in the order of ``keys``."""
    tasks = [asyncio.create_task(lookup(client, key)) for key in keys]
    try:
        return [await task for task in tasks]
    finally:
        # On an error (or our cancellation), do not leave the other lookups behind.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
