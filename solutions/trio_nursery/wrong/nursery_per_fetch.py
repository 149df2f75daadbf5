"""Opens a new nursery for each fetch: each nursery waits for its one task, so they run in turn.

Caught by: test_fetches_run_at_once_and_results_keep_urls_order, test_slow_request_gives_none_after_per_request, test_overall_deadline_raises_too_slow_error, test_failing_fetch_cancels_the_others_and_raises_exception_group, test_five_fetches_overlap_and_results_keep_urls_order, test_slow_requests_give_none_cancelled_exactly_at_per_request, test_overall_deadline_raises_too_slow_error_after_every_fetch_ended, test_failing_fetch_cancels_the_others_and_waits_for_them, test_failing_fetch_error_propagates_in_an_exception_group, test_callers_cancel_scope_cancels_every_fetch_and_propagates
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results: list = [None] * len(urls)

    async def fetch_one(index, url):
        with trio.move_on_after(per_request):
            results[index] = await fetch(url)

    with trio.fail_after(overall):
        for index, url in enumerate(urls):
            async with trio.open_nursery() as nursery:  # ends only when this one fetch has ended
                nursery.start_soon(fetch_one, index, url)
    return results
