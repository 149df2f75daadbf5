"""Schedules the coroutine with loop.call_soon_threadsafe and returns at once, without its result.

Caught by: test_call_from_thread_returns_the_value, test_call_from_thread_times_out, test_call_from_thread_runs_on_the_given_loop, test_call_from_thread_raises_the_coroutines_own_error, test_timeout_cancels_the_coroutine
"""

import asyncio

async def await_pool_job(pool, fn, *args):
    return await asyncio.wrap_future(pool.submit(fn, *args))


def call_from_thread(loop, coro_fn, *args, timeout):
    loop.call_soon_threadsafe(lambda: loop.create_task(coro_fn(*args)))
