"""Cancels the mirrors still running but does not wait for them to finish.

Caught by: test_a_failing_mirror_does_not_end_the_race, test_callers_cancellation_is_neither_an_answer_nor_a_timeout, test_cancelled_at_every_await_stops_every_mirror_and_propagates, test_deadline_is_exact_even_after_a_failure, test_losers_are_cancelled_and_waited_for, test_no_answer_in_time_raises_timeout_error, test_returns_the_fastest_answer_and_stops_the_others
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
            t.cancel()  # cancel() only asks: the mirrors are still cleaning up when we return
