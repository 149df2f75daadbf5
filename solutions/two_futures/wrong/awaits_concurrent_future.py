"""Awaits the concurrent.futures.Future directly: it is not awaitable (TypeError).

Caught by: test_await_pool_job_returns_the_value, test_pool_job_raises_the_jobs_own_error, test_pool_job_runs_in_the_given_pool, test_pool_job_leaves_the_loop_free
"""

import asyncio


async def await_pool_job(pool, fn, *args):
    return await pool.submit(fn, *args)  # TypeError: object Future can't be used in 'await'

def call_from_thread(loop, coro_fn, *args, timeout):
    job = asyncio.run_coroutine_threadsafe(coro_fn(*args), loop)
    try:
        return job.result(timeout)
    except TimeoutError:
        job.cancel()
        raise

