"""Collects the results with asyncio.as_completed: they come back in the order the jobs finish.

Caught by: test_results_come_back_in_the_order_of_numbers
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
    try:
        futures = [loop.run_in_executor(pool, func, n) for n in numbers]
        return [await f for f in asyncio.as_completed(futures)]
    finally:
        await asyncio.to_thread(pool.shutdown)
