"""Uses move_on_at / fail_at with the durations: a deadline is an instant on trio's clock.

Caught by: test_five_fetches_overlap_and_results_keep_urls_order, test_slow_requests_give_none_cancelled_exactly_at_per_request, test_overall_deadline_raises_too_slow_error_after_every_fetch_ended, test_failing_fetch_cancels_the_others_and_waits_for_them, test_failing_fetch_error_propagates_in_an_exception_group, test_callers_cancel_scope_cancels_every_fetch_and_propagates
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results: list = [None] * len(urls)

    async def fetch_one(index, url):
        with trio.move_on_at(per_request):  # "at 4 s" on trio's clock, not "4 s from now"
            results[index] = await fetch(url)

    with trio.fail_at(overall):
        async with trio.open_nursery() as nursery:
            for index, url in enumerate(urls):
                nursery.start_soon(fetch_one, index, url)
    return results
