"""Catches BaseException in each fetch to give None: trio.Cancelled is swallowed too.

Caught by: test_overall_deadline_raises_too_slow_error, test_failing_fetch_cancels_the_others_and_raises_exception_group, test_overall_deadline_raises_too_slow_error_after_every_fetch_ended, test_failing_fetch_cancels_the_others_and_waits_for_them, test_failing_fetch_error_propagates_in_an_exception_group, test_callers_cancel_scope_cancels_every_fetch_and_propagates
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results: list = [None] * len(urls)

    async def fetch_one(index, url):
        try:
            with trio.move_on_after(per_request):
                results[index] = await fetch(url)
        except BaseException:
            results[index] = None  # errors, and cancellations from outside, all become None

    with trio.fail_after(overall):
        async with trio.open_nursery() as nursery:
            for index, url in enumerate(urls):
                nursery.start_soon(fetch_one, index, url)
    return results
