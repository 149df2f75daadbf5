"""on_done calls asyncio.get_event_loop() in the client's thread, which has no event loop: RuntimeError.

Caught by: test_lookup_returns_the_value, test_lookup_raises_the_error, test_the_future_is_only_touched_on_the_loop_thread, test_lookup_waits_without_polling, test_lookup_many_returns_values_in_key_order, test_lookup_many_answers_from_many_threads_at_once, test_lookup_many_raises_the_failing_lookups_error
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
    fut = asyncio.get_running_loop().create_future()

    def on_done(value, error):
        asyncio.get_event_loop().call_soon_threadsafe(_settle, fut, value, error)

    client.get(key, on_done)
    return await fut
