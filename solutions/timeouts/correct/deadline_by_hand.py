"""A deadline computed once with loop.time(); each asyncio.wait gets what is left of it.

No asyncio.timeout: the loop raises TimeoutError itself when a wait comes back empty-handed. As
nothing cancels our own task, there is no cancellation to take back. The mirrors are stopped in
``finally`` with cancel() and gather(return_exceptions=True).
"""

import asyncio


class AllMirrorsFailed(Exception):
    """Every mirror failed. ``errors``: the exception of each mirror, in the order of ``mirrors``."""

    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within  # fixed once: each wait gets only what is left of it
    tasks = [asyncio.create_task(m()) for m in mirrors]
    try:
        pending = set(tasks)
        while pending:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError
            done, pending = await asyncio.wait(
                pending, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
            )
            if not done:
                raise TimeoutError
            for t in tasks:
                if t in done and t.exception() is None:
                    return t.result()
        raise AllMirrorsFailed([t.exception() for t in tasks])
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
