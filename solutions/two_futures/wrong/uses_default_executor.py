"""Runs the job in the loop's default executor instead of the pool it was given.

Caught by: test_pool_job_runs_in_the_given_pool
"""

import asyncio


async def await_pool_job(pool, fn, *args):
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)

def call_from_thread(loop, coro_fn, *args, timeout):
    job = asyncio.run_coroutine_threadsafe(coro_fn(*args), loop)
    try:
        return job.result(timeout)
    except TimeoutError:
        job.cancel()
        raise

