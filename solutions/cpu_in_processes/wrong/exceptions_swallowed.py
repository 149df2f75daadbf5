"""Gathers with return_exceptions=True: a worker's exception is returned as a result, not raised.

Caught by: test_a_worker_exception_reaches_the_caller_and_the_pool_is_shut_down, test_an_exception_in_a_worker_reaches_the_caller
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
        return list(await asyncio.gather(*futures, return_exceptions=True))
    finally:
        await asyncio.to_thread(pool.shutdown)
