"""An async context manager owns the pool; functools.partial binds the argument; results in slots.

`process_pool` creates the pool with an explicit `spawn` start method (the portable one: what macOS
and Windows use) and shuts it down in a helper thread when the `async with` block ends, however it
ends. The jobs are sent as `functools.partial(func, n)` (a partial of a module-level function
pickles). Each job is awaited by a small coroutine that knows its index, and the results,
collected as they complete, are written into their slot: the order of `numbers` is kept whatever
order the jobs finish in.
"""

import asyncio
import contextlib
import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def crunch(n: int) -> int:
    """How many prime numbers are below ``n``: deliberately slow, pure CPU work."""
    if n < 0:
        raise ValueError(f"crunch needs a non-negative number, got {n}")
    count = 0
    for candidate in range(2, n):
        if all(candidate % d for d in range(2, int(candidate**0.5) + 1)):
            count += 1
    return count


@contextlib.asynccontextmanager
async def process_pool(workers: int):
    """A ProcessPoolExecutor, shut down without blocking the loop when the block ends."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield pool
    finally:
        await asyncio.to_thread(pool.shutdown, wait=True)


async def crunch_all(numbers, *, workers: int = 2, func=crunch) -> list:
    """Return ``[func(n) for n in numbers]``, computed in a pool of ``workers`` processes."""
    loop = asyncio.get_running_loop()
    numbers = list(numbers)
    results: list = [None] * len(numbers)
    async with process_pool(workers) as pool:

        async def one(index: int, n: int) -> tuple[int, object]:
            return index, await loop.run_in_executor(pool, functools.partial(func, n))

        for finished in asyncio.as_completed([one(i, n) for i, n in enumerate(numbers)]):
            index, value = await finished
            results[index] = value
    return results
