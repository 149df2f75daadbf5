"""The whole life of the pool, `with` block and pool.map() included, runs in a helper thread.

`pool.map` sends every job to the processes at once and yields the results in input order, but it
blocks while waiting for them, and so does the `with` block's exit (it waits for the processes to
exit). In a thread, awaited with `asyncio.to_thread`, neither blocks the loop. The function sent
to the processes is still `func` itself: only a module-level function is handed to the thread.
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


def _map_in_processes(func, numbers, workers: int) -> list:
    """Blocking: run func over numbers in a fresh pool, and shut it down. Call it in a thread."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(func, numbers))


async def crunch_all(numbers, *, workers: int = 2, func=crunch) -> list:
    """Return ``[func(n) for n in numbers]``, computed in a pool of ``workers`` processes."""
    return await asyncio.to_thread(_map_in_processes, func, list(numbers), workers)
