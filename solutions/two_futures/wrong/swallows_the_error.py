"""Catches the coroutine's exception and returns it instead of raising it.

Caught by: test_call_from_thread_raises_the_coroutines_own_error
"""

import asyncio

async def await_pool_job(pool, fn, *args):
    return await asyncio.wrap_future(pool.submit(fn, *args))


def call_from_thread(loop, coro_fn, *args, timeout):
    job = asyncio.run_coroutine_threadsafe(coro_fn(*args), loop)
    try:
        return job.result(timeout)
    except TimeoutError:
        job.cancel()
        raise
    except Exception as exc:
        return exc
