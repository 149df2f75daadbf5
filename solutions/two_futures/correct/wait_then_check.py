"""Waits with concurrent.futures.wait, then checks done() and raises TimeoutError itself."""

import asyncio
import concurrent.futures


async def await_pool_job(pool, fn, *args):
    job = pool.submit(fn, *args)
    return await asyncio.wrap_future(job, loop=asyncio.get_running_loop())


def call_from_thread(loop, coro_fn, *args, timeout):
    job = asyncio.run_coroutine_threadsafe(coro_fn(*args), loop)
    done, _pending = concurrent.futures.wait([job], timeout=timeout)
    if not done:
        job.cancel()
        raise TimeoutError(f"{coro_fn.__name__} did not finish within {timeout} s")
    return job.result()
