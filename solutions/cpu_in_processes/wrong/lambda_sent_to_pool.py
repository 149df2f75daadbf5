"""Sends a lambda to the process pool: it cannot be pickled, so no job ever reaches a worker.

Caught by: test_every_job_runs_in_a_worker_process, test_loop_keeps_running_while_the_processes_work, test_results_come_back_in_the_order_of_numbers, test_a_worker_exception_reaches_the_caller_and_the_pool_is_shut_down, test_returns_crunch_of_each_number_in_order, test_an_exception_in_a_worker_reaches_the_caller
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
        futures = [loop.run_in_executor(pool, lambda n=n: func(n)) for n in numbers]
        return list(await asyncio.gather(*futures))
    finally:
        await asyncio.to_thread(pool.shutdown)
