"""Calls func in the coroutine itself, yielding between numbers: the CPU work blocks the loop.

`await asyncio.sleep(0)` between numbers lets other coroutines in between two jobs, but never
during one, and all the work still happens in this one process, one number at a time.

Caught by: test_every_job_runs_in_a_worker_process, test_loop_keeps_running_while_the_processes_work
"""

import asyncio


def crunch(n: int) -> int:
    if n < 0:
        raise ValueError(f"crunch needs a non-negative number, got {n}")
    return sum(1 for c in range(2, n) if all(c % d for d in range(2, int(c**0.5) + 1)))


async def crunch_all(numbers, *, workers: int = 2, func=crunch) -> list:
    results = []
    for n in numbers:
        results.append(func(n))  # runs on the loop thread, in this process
        await asyncio.sleep(0)
    return results
