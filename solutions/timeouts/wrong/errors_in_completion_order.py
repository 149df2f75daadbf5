"""Collects the failures in the order the mirrors failed, not in the order of mirrors.

Caught by: test_all_failing_carries_every_error_in_mirror_order, test_every_mirror_failing_raises_all_mirrors_failed
"""

import asyncio


class AllMirrorsFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    tasks = [asyncio.create_task(m()) for m in mirrors]
    errors = []
    try:
        async with asyncio.timeout(within):
            pending = set(tasks)
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for t in done:
                    if t.exception() is None:
                        return t.result()
                    errors.append(t.exception())
        raise AllMirrorsFailed(errors)
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
