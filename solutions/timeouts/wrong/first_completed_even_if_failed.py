"""Takes the first mirror to finish as the outcome, even when that mirror failed.

Caught by: test_a_failing_mirror_does_not_end_the_race, test_all_failing_carries_every_error_in_mirror_order, test_cancelled_at_every_await_stops_every_mirror_and_propagates, test_deadline_is_exact_even_after_a_failure, test_every_mirror_failing_raises_all_mirrors_failed
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
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if all(t.done() and t.exception() is not None for t in tasks):
            raise AllMirrorsFailed([t.exception() for t in tasks])
        return done.pop().result()
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
