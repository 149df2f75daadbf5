"""From callbacks to awaitables: the reference solution of future_from_callback.

``lookup`` turns one call of a legacy callback API (``client.get(key, on_done)``, which calls
``on_done(value, error)`` later from a thread of the client's own) into an awaitable: an
``asyncio.Future`` that only the event loop's thread ever completes. ``lookup_many`` runs many
lookups at once and returns their values in the order of the keys.
"""

import asyncio


def _settle(fut: asyncio.Future, value, error) -> None:
    """Complete ``fut`` with the client's answer. Runs on the event loop's thread only."""
    # The lookup may have been cancelled after the client was asked and before this runs
    # (cancelling the awaiting task cancels the future). Setting a done future raises
    # InvalidStateError, so look first. Checking here, on the loop thread, is race-free: nothing
    # else can change the future between the check and the set. A check made in the client's
    # thread would be out of date by the time the loop gets to the set.
    if fut.done():
        return
    if error is not None:
        fut.set_exception(error)
    else:
        fut.set_result(value)


async def lookup(client, key):
    """Ask ``client.get(key, on_done)``; return the value it calls back with, or raise its error."""
    # Captured here, on the loop's thread: the client's thread has no running loop, so
    # asyncio.get_running_loop() (or get_event_loop()) inside on_done would fail there.
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def on_done(value, error) -> None:
        # Runs in the client's thread. asyncio objects are not thread-safe: fut.set_result here
        # would touch the loop's ready queue from the wrong thread, and would not wake the loop.
        # call_soon_threadsafe queues _settle for the loop thread and wakes the loop up.
        loop.call_soon_threadsafe(_settle, fut, value, error)

    client.get(key, on_done)
    # Suspends this task until the loop runs _settle: no thread is held, nothing polls.
    return await fut


async def lookup_many(client, keys) -> list:
    """Look every key up at once; return the values in the order of ``keys``.

    If a lookup fails, its exception propagates (the same object).
    """
    # Every lookup has its own future and its own on_done, so answers arriving together from many
    # threads, for the same key or not, each complete the right future. gather keeps key order.
    return list(await asyncio.gather(*(lookup(client, key) for key in keys)))
