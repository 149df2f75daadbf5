"""Asks the mirrors one after another, each with what is left of the timeout.

Caught by: test_all_failing_carries_every_error_in_mirror_order, test_callers_cancellation_is_neither_an_answer_nor_a_timeout, test_cancelled_at_every_await_stops_every_mirror_and_propagates, test_deadline_is_exact_even_after_a_failure, test_every_mirror_failing_raises_all_mirrors_failed, test_losers_are_cancelled_and_waited_for, test_no_answer_in_time_raises_timeout_error, test_returns_the_fastest_answer_and_stops_the_others
"""

import asyncio


class AllMirrorsFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    errors = []
    for mirror in mirrors:
        try:
            return await asyncio.wait_for(mirror(), deadline - loop.time())
        except TimeoutError:
            raise
        except Exception as exc:
            errors.append(exc)
    raise AllMirrorsFailed(errors)
