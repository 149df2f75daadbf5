"""Raises TimeoutError but does not cancel the coroutine, which keeps running on the loop.

Caught by: test_timeout_cancels_the_coroutine
"""

import asyncio

async def await_pool_job(pool, fn, *args):
    return await asyncio.wrap_future(pool.submit(fn, *args))


def call_from_thread(loop, coro_fn, *args, timeout):
    return asyncio.run_coroutine_threadsafe(coro_fn(*args), loop).result(timeout)
