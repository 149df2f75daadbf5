"""CPU-heavy work from a coroutine: the reference solution of cpu_in_processes.

``crunch_all`` runs ``func(n)`` for every number in a pool of worker *processes*, through
``loop.run_in_executor``, so the CPU work neither blocks the event loop nor fights over the GIL. It
returns the results in the order of ``numbers``, lets a worker's exception reach the caller, and
shuts its pool down (its processes have exited) before it returns or raises, without blocking the
loop while it waits for them.
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


async def crunch_all(numbers, *, workers: int = 2, func=crunch) -> list:
    """Return ``[func(n) for n in numbers]``, computed in a pool of ``workers`` processes."""
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(max_workers=workers)
    try:
        # `func` itself goes to the pool, not a lambda or a nested function around it: the pool
        # pickles what it sends, and functions pickle *by name* (module and qualified name), so
        # only module-level functions (or functools.partial of them) can be sent. `n` and the
        # result are pickled too, so they must be picklable values.
        futures = [loop.run_in_executor(pool, func, n) for n in numbers]
        # Every job is submitted before we wait, so up to `workers` run at once. gather gives
        # the results in the order of `futures`, whatever order the processes finish in, and
        # re-raises the first exception a worker raised (the original type, pickled back).
        return list(await asyncio.gather(*futures))
    finally:
        # shutdown() waits until the jobs still running have finished and the processes have
        # exited: a blocking wait, like a `with ProcessPoolExecutor()` block's exit. On the loop
        # thread it would freeze every other coroutine meanwhile (for long, if an error made us
        # leave while other jobs still run), so it waits in a helper thread instead.
        await asyncio.to_thread(pool.shutdown)
