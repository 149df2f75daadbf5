"""Shuts the pool down after the gather, not in `finally`: an exception skips the shutdown.

Caught by: test_a_worker_exception_reaches_the_caller_and_the_pool_is_shut_down
"""

import asyncio
from concurrent.futures import ProcessPoolExecutor


def crunch(n: int) -> int:
    if n < 0:
        raise ValueError(f"crunch needs a non-negative number, got {n}")
    return sum(1 for c in range(2, n) if all(c % d for d in range(2, int(c**0.5) + 1)))


async def crunch_all(numbers, *, workers: int = 2, func=crunch) -> list:
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(max_workers=workers)
    futures = [loop.run_in_executor(pool, func, n) for n in numbers]
    results = list(await asyncio.gather(*futures))
    await asyncio.to_thread(pool.shutdown)
    return results
