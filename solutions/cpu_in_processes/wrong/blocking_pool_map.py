"""Calls pool.map() in the coroutine: the loop thread waits for the processes, blocked.

The work does run in other processes, in parallel, but the coroutine waits for it without
awaiting: no other coroutine runs until every job is done.

Caught by: test_every_job_runs_in_a_worker_process, test_loop_keeps_running_while_the_processes_work, test_results_come_back_in_the_order_of_numbers, test_a_worker_exception_reaches_the_caller_and_the_pool_is_shut_down
"""

import asyncio
from concurrent.futures import ProcessPoolExecutor


def crunch(n: int) -> int:
    if n < 0:
        raise ValueError(f"crunch needs a non-negative number, got {n}")
    return sum(1 for c in range(2, n) if all(c % d for d in range(2, int(c**0.5) + 1)))


async def crunch_all(numbers, *, workers: int = 2, func=crunch) -> list:
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        return list(pool.map(func, numbers))  # blocks the loop thread until every job is done
    finally:
        await asyncio.to_thread(pool.shutdown)
