"""Stops the mirrors on an answer, a failure or a timeout, but not when the caller is cancelled.

Caught by: test_callers_cancellation_is_neither_an_answer_nor_a_timeout, test_cancelled_at_every_await_stops_every_mirror_and_propagates
"""

import asyncio


class AllMirrorsFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    tasks = [asyncio.create_task(m()) for m in mirrors]

    async def stop_all():
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    try:
        async with asyncio.timeout(within):
            pending = set(tasks)
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for t in tasks:
                    if t in done and t.exception() is None:
                        await stop_all()
                        return t.result()
    except TimeoutError:
        await stop_all()
        raise
    raise AllMirrorsFailed([t.exception() for t in tasks])
