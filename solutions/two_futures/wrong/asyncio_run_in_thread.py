"""Starts a loop of its own with asyncio.run in the plain thread instead of using the given loop.

Caught by: test_call_from_thread_runs_on_the_given_loop
"""

import asyncio

async def await_pool_job(pool, fn, *args):
    return await asyncio.wrap_future(pool.submit(fn, *args))


def call_from_thread(loop, coro_fn, *args, timeout):
    return asyncio.run(asyncio.wait_for(coro_fn(*args), timeout))
