"""Exercise two_futures: asyncio.Future vs concurrent.futures.Future, and the bridges between them.

Goal: two small bridges between the world of threads and the world of the event loop.
- `await_pool_job(pool, fn, *args)`: run `fn(*args)` in a `concurrent.futures` executor and await
  its result from a coroutine, without ever blocking the event loop.
- `call_from_thread(loop, coro_fn, *args, timeout)`: from a plain thread, run `coro_fn(*args)` on
  an event loop that runs in another thread, and wait for its result, at most `timeout` seconds
  (then cancel it and raise TimeoutError).

Read README.md for the full contract, then run `make check`.
"""

import asyncio  # noqa: F401  (you will need it)


async def await_pool_job(pool, fn, *args):
    """Run ``fn(*args)`` in ``pool``; return its result (or raise its error) without blocking."""
    job = pool.submit(fn, *args)
    # TODO: job is a concurrent.futures.Future. Its .result() blocks the whole thread, and this
    # is the event loop's thread: nothing else on the loop runs meanwhile. Await it instead
    # (it is not awaitable as it is: turn it into an asyncio future).
    return job.result()


def call_from_thread(loop, coro_fn, *args, timeout):
    """From a plain thread, run ``coro_fn(*args)`` on ``loop`` (running in another thread).

    Return its result or raise its error; after ``timeout`` seconds, cancel it and raise
    TimeoutError.
    """
    # TODO: hand the coroutine coro_fn(*args) to `loop` in a thread-safe way, wait for its
    # result at most `timeout` seconds, and cancel it if the time runs out.
    raise NotImplementedError("call_from_thread")
