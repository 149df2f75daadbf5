"""Calls .result() on the pool's concurrent future inside the coroutine: the event loop is blocked while the job runs.

Caught by: test_pool_job_leaves_the_loop_free
"""

import asyncio


async def await_pool_job(pool, fn, *args):
    return pool.submit(fn, *args).result()  # blocks the loop's thread

def call_from_thread(loop, coro_fn, *args, timeout):
    job = asyncio.run_coroutine_threadsafe(coro_fn(*args), loop)
    try:
        return job.result(timeout)
    except TimeoutError:
        job.cancel()
        raise

