"""Exercise cpu_in_processes: CPU-heavy work from a coroutine, in a pool of processes.

Goal: make `crunch_all` compute `func(n)` for every number in a `ProcessPoolExecutor` of `workers`
processes, awaited through `loop.run_in_executor`, so that the event loop keeps running other
coroutines meanwhile and the jobs run in parallel. Return the results in the order of `numbers`,
let an exception raised by `func` reach the caller, and shut the pool down before returning,
without blocking the loop while its processes exit.

`crunch` is given: it is the CPU-heavy work. Do not change what it returns.

Read README.md for the full contract, then run `make check`.
"""

import asyncio  # noqa: F401  (you will need it)


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
    # TODO: this computes every result right here, on the event loop's thread: while it runs,
    # no other coroutine can, and the numbers are crunched one after another on one CPU core.
    # Send each `func(n)` to a concurrent.futures.ProcessPoolExecutor(max_workers=workers) with
    # `await loop.run_in_executor(pool, func, n)`, starting every job before awaiting them, keep
    # the results in the order of `numbers`, and shut the pool down however crunch_all ends,
    # waiting for its processes without blocking the loop (README: "Shutting a pool down").
    return [func(n) for n in numbers]
