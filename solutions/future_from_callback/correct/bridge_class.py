"""A small callable class as on_done, and futures gathered directly, without a task per key.

_Bridge holds the loop and the future; calling it (from the client's thread) only schedules
_deliver on the loop thread, which skips a future that was cancelled meanwhile (nothing but
_deliver ever sets it, so cancelled() is the only way it can be done already).
lookup_many asks for every key first and gathers the futures themselves.
"""

import asyncio


class _Bridge:
    """``on_done`` for one request: delivers the answer to ``self.future`` on the loop thread."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.future = self.loop.create_future()

    def __call__(self, value, error) -> None:
        self.loop.call_soon_threadsafe(self._deliver, value, error)

    def _deliver(self, value, error) -> None:
        if self.future.cancelled():
            return
        if error is not None:
            self.future.set_exception(error)
        else:
            self.future.set_result(value)


def _start(client, key) -> asyncio.Future:
    bridge = _Bridge()
    client.get(key, bridge)
    return bridge.future


async def lookup(client, key):
    """Ask ``client.get(key, on_done)``; return the value it calls back with, or raise its error."""
    return await _start(client, key)


async def lookup_many(client, keys) -> list:
    """Look every key up at once; return the values in the order of ``keys``."""
    futures = [_start(client, key) for key in keys]
    try:
        return list(await asyncio.gather(*futures))
    except BaseException:
        for future in futures:
            future.cancel()  # the rest are no longer wanted; their late answers are skipped
        raise
