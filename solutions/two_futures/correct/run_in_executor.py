"""loop.run_in_executor(pool, ...) for the pool job; catches concurrent.futures.TimeoutError by name."""

import asyncio
import concurrent.futures


async def await_pool_job(pool, fn, *args):
    return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)


def call_from_thread(loop, coro_fn, *args, timeout):
    job = asyncio.run_coroutine_threadsafe(coro_fn(*args), loop)
    try:
        return job.result(timeout=timeout)
    except concurrent.futures.TimeoutError:
        job.cancel()
        raise
