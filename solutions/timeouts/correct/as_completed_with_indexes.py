"""as_completed over tasks that return (index, answer, error); wait_for sets the timeout.

Each mirror is wrapped so that it returns its index with its outcome instead of raising, and the
race is a loop over ``asyncio.as_completed``; the whole loop runs under ``asyncio.wait_for``. The
mirrors are stopped in ``finally`` with cancel() and ``gather(return_exceptions=True)``.
"""

import asyncio


class AllMirrorsFailed(Exception):
    """Every mirror failed. ``errors``: the exception of each mirror, in the order of ``mirrors``."""

    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def _ask(index, mirror):
    try:
        return index, await mirror(), None
    except Exception as exc:
        return index, None, exc


async def _race(tasks):
    errors = [None] * len(tasks)
    for next_one in asyncio.as_completed(tasks):
        index, answer, error = await next_one
        if error is None:
            return answer
        errors[index] = error
    raise AllMirrorsFailed(errors)


async def first_answer(mirrors, *, within):
    tasks = [asyncio.create_task(_ask(i, mirror)) for i, mirror in enumerate(mirrors)]
    try:
        return await asyncio.wait_for(_race(tasks), within)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
