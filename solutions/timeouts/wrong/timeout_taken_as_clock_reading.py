"""Passes the timeout (seconds) to asyncio.timeout_at, which expects a reading of loop.time().

Caught by: test_deadline_is_exact_even_after_a_failure
"""

import asyncio


class AllMirrorsFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    tasks = [asyncio.create_task(m()) for m in mirrors]
    try:
        async with asyncio.timeout_at(within):
            pending = set(tasks)
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for t in tasks:
                    if t in done and t.exception() is None:
                        return t.result()
        raise AllMirrorsFailed([t.exception() for t in tasks])
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
