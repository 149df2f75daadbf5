"""Awaits each cancelled mirror inside except CancelledError: pass, swallowing its own cancellation.

Caught by: test_cancelled_at_every_await_stops_every_mirror_and_propagates
"""

import asyncio


class AllMirrorsFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    tasks = [asyncio.create_task(m()) for m in mirrors]
    try:
        async with asyncio.timeout(within):
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
        for t in tasks:
            try:
                await t
            except asyncio.CancelledError:
                pass  # "the mirror's cancellation": but it may be ours, and then it is lost
            except Exception:
                pass
