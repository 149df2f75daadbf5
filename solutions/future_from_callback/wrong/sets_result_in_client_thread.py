"""on_done sets the future directly in the client's thread: asyncio futures are not thread-safe.

Caught by: test_the_future_is_only_touched_on_the_loop_thread, test_lookup_waits_without_polling, test_cancelled_while_the_answer_is_on_its_way, test_lookup_many_answers_from_many_threads_at_once
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
        _settle(fut, value, error)  # checks done(), but from the wrong thread

    client.get(key, on_done)
    return await fut
