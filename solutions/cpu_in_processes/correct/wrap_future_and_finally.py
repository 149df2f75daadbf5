"""Submits to the pool and awaits asyncio.wrap_future(...); shuts down via run_in_executor(None, ...).

`pool.submit` returns a concurrent.futures.Future; `asyncio.wrap_future` turns it into an asyncio
future the coroutine can await (which is what `loop.run_in_executor` does for you). The blocking
`pool.shutdown()` runs in the loop's default thread pool, awaited, on every way out.
"""

import asyncio
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


async def crunch_all(numbers, *, workers: int = 2, func=crunch) -> list:
    """Return ``[func(n) for n in numbers]``, computed in a pool of ``workers`` processes."""
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        futures = [asyncio.wrap_future(pool.submit(func, n)) for n in numbers]
        return list(await asyncio.gather(*futures))
    finally:
        await asyncio.get_running_loop().run_in_executor(None, pool.shutdown)
