"""Exercise future_from_callback: from callbacks to awaitables with asyncio.Future.

Goal: a legacy client answers through a callback, later, from a thread of its own:
`client.get(key, on_done)` returns at once, and the client then calls `on_done(value, None)` or
`on_done(None, error)`. Make `lookup` an awaitable version of it (return the value, or raise the
error), safely: only the event loop's thread may complete an asyncio future, and the lookup may be
cancelled before the answer arrives. Make `lookup_many` look many keys up at once.

Read README.md for the full contract, then run `make check`.
"""

import asyncio


async def lookup(client, key):
    """Ask ``client.get(key, on_done)``; return the value it calls back with, or raise its error."""
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def on_done(value, error):
        # TODO: this runs in the *client's* thread, not the event loop's. asyncio futures are not
        # thread-safe: hand the work to the loop (loop.call_soon_threadsafe). It also ignores
        # `error`, and the lookup may have been cancelled (the future is then already done)
        # before the answer arrives: setting a done future raises InvalidStateError.
        fut.set_result(value)

    client.get(key, on_done)
    return await fut


async def lookup_many(client, keys) -> list:
    """Look every key up at once; return the values in the order of ``keys``."""
    # TODO: this waits for each answer before asking for the next key. Start them all at once.
    return [await lookup(client, key) for key in keys]
