"""A hand-made timeout (call_later + cancel) that never takes its cancellation back (uncancel).

Caught by: test_a_timeout_leaves_the_caller_uncancelled
"""

import asyncio


class AllMirrorsFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    loop = asyncio.get_running_loop()
    me = asyncio.current_task()
    fired = False

    def expire():
        nonlocal fired
        fired = True
        me.cancel()

    timer = loop.call_later(within, expire)
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
        if fired:
            raise TimeoutError from None  # but me.cancelling() is still 1
        raise
    finally:
        timer.cancel()
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
