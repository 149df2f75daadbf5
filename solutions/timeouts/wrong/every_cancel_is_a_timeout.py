"""A hand-made timeout that turns every CancelledError into TimeoutError, the caller's too.

Caught by: test_callers_cancellation_is_neither_an_answer_nor_a_timeout, test_cancelled_at_every_await_stops_every_mirror_and_propagates
"""

import asyncio


class AllMirrorsFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    timer = loop.call_later(within, me.cancel)
    tasks = [asyncio.create_task(m()) for m in mirrors]
    try:
        pending = set(tasks)
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for t in tasks:
                if t in done and t.exception() is None:
                    return t.result()
        raise AllMirrorsFailed([t.exception() for t in tasks])
    except asyncio.CancelledError:
        me.uncancel()
        raise TimeoutError from None  # "it must have been my timer"
    finally:
        timer.cancel()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
