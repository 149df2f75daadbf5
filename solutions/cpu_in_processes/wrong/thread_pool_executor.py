"""Runs func in the loop's default thread pool (run_in_executor(None, ...)): still this process.

The loop stays free, but the CPU work runs in threads of this process, where the GIL lets only one
of them compute at a time: no parallel crunching.

Caught by: test_every_job_runs_in_a_worker_process
"""

import asyncio


def crunch(n: int) -> int:
    if n < 0:
        raise ValueError(f"crunch needs a non-negative number, got {n}")
    return sum(1 for c in range(2, n) if all(c % d for d in range(2, int(c**0.5) + 1)))


async def crunch_all(numbers, *, workers: int = 2, func=crunch) -> list:
    loop = asyncio.get_running_loop()
    return list(await asyncio.gather(*(loop.run_in_executor(None, func, n) for n in numbers)))
