"""Reference solution for two_futures: bridging asyncio.Future and concurrent.futures.Future."""

import asyncio


async def await_pool_job(pool, fn, *args):
    """Run ``fn(*args)`` in ``pool`` and await its result without blocking the event loop."""
    job = pool.submit(fn, *args)  # a concurrent.futures.Future: thread-safe, NOT awaitable
    # wrap_future makes an asyncio.Future that the pool's thread completes through the loop
    # (call_soon_threadsafe). Awaiting it suspends this coroutine only; job.result() here would
    # block the loop's whole thread until the job ends. The job's exception comes out as is.
    return await asyncio.wrap_future(job)


def call_from_thread(loop, coro_fn, *args, timeout):
    """From a plain thread, run ``coro_fn(*args)`` on ``loop`` (running in another thread).

    Return its result, or raise its exception; after ``timeout`` seconds, cancel it and raise
    TimeoutError.
    """
    # run_coroutine_threadsafe hands the coroutine to the loop's thread (it becomes a task there)
    # and gives back a concurrent.futures.Future, which this thread may block on.
    job = asyncio.run_coroutine_threadsafe(coro_fn(*args), loop)
    try:
        return job.result(timeout)
    except TimeoutError:  # concurrent.futures.TimeoutError is TimeoutError since Python 3.11
        # Giving up waiting does not stop the coroutine: cancel it, or it runs on, forgotten.
        job.cancel()
        raise
