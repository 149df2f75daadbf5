"""Shuts the pool down with `with` in the coroutine: its exit waits for the processes, blocking the loop.

Leaving the `with` block calls pool.shutdown(wait=True) on the loop thread, which waits until the
running jobs have finished and every worker process has exited: no other coroutine runs meanwhile.

Caught by: test_every_job_runs_in_a_worker_process, test_loop_keeps_running_while_the_processes_work, test_results_come_back_in_the_order_of_numbers, test_a_worker_exception_reaches_the_caller_and_the_pool_is_shut_down, test_returns_crunch_of_each_number_in_order, test_an_exception_in_a_worker_reaches_the_caller, test_no_worker_process_is_left_running
"""

import asyncio
from concurrent.futures import ProcessPoolExecutor


def crunch(n: int) -> int:
    if n < 0:
        raise ValueError(f"crunch needs a non-negative number, got {n}")
    return sum(1 for c in range(2, n) if all(c % d for d in range(2, int(c**0.5) + 1)))


async def crunch_all(numbers, *, workers: int = 2, func=crunch) -> list:
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [loop.run_in_executor(pool, func, n) for n in numbers]
        return list(await asyncio.gather(*futures))
