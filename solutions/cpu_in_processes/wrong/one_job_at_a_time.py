"""Awaits each job before submitting the next: correct results, but never two jobs at once.

Caught by: test_loop_keeps_running_while_the_processes_work
"""

import asyncio
from concurrent.futures import ProcessPoolExecutor


def crunch(n: int) -> int:
    if n < 0:
        raise ValueError(f"crunch needs a non-negative number, got {n}")
    return sum(1 for c in range(2, n) if all(c % d for d in range(2, int(c**0.5) + 1)))


async def crunch_all(numbers, *, workers: int = 2, func=crunch) -> list:
    loop = asyncio.get_running_loop()
    results = []
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        for n in numbers:
            results.append(await loop.run_in_executor(pool, func, n))
        return results
    finally:
        await asyncio.to_thread(pool.shutdown)
