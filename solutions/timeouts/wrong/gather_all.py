"""Waits for every mirror with gather, then returns the first answer in the order of mirrors.

Caught by: test_a_failing_mirror_does_not_end_the_race, test_cancelled_at_every_await_stops_every_mirror_and_propagates, test_losers_are_cancelled_and_waited_for, test_returns_the_fastest_answer_and_stops_the_others
"""

import asyncio


class AllMirrorsFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    async with asyncio.timeout(within):
        outcomes = await asyncio.gather(*(m() for m in mirrors), return_exceptions=True)
    for outcome in outcomes:
        if not isinstance(outcome, BaseException):
            return outcome
    raise AllMirrorsFailed(outcomes)
