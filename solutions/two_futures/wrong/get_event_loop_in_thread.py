"""Uses asyncio.get_event_loop() in the plain thread, which has no event loop (RuntimeError).

Caught by: test_call_from_thread_returns_the_value, test_call_from_thread_times_out, test_call_from_thread_runs_on_the_given_loop, test_call_from_thread_raises_the_coroutines_own_error
"""

import asyncio

async def await_pool_job(pool, fn, *args):
    return await asyncio.wrap_future(pool.submit(fn, *args))


def call_from_thread(loop, coro_fn, *args, timeout):
    return asyncio.get_event_loop().run_until_complete(asyncio.wait_for(coro_fn(*args), timeout))
