"""wrap_future with functools.partial; cancels in a finally whenever the job is not done."""

import asyncio
import functools


async def await_pool_job(pool, fn, *args):
    future = asyncio.wrap_future(pool.submit(functools.partial(fn, *args)))
    return await future


def call_from_thread(loop, coro_fn, *args, timeout):
    job = asyncio.run_coroutine_threadsafe(coro_fn(*args), loop)
    try:
        return job.result(timeout)
    finally:
        if not job.done():
            job.cancel()
