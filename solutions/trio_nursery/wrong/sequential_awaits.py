"""Awaits the fetches one after another (a loop of awaits): nothing runs at the same time.

Caught by: test_fetches_run_at_once_and_results_keep_urls_order, test_slow_request_gives_none_after_per_request, test_overall_deadline_raises_too_slow_error, test_failing_fetch_cancels_the_others_and_raises_exception_group, test_five_fetches_overlap_and_results_keep_urls_order, test_slow_requests_give_none_cancelled_exactly_at_per_request, test_overall_deadline_raises_too_slow_error_after_every_fetch_ended, test_failing_fetch_cancels_the_others_and_waits_for_them, test_failing_fetch_error_propagates_in_an_exception_group, test_callers_cancel_scope_cancels_every_fetch_and_propagates
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results = []
    with trio.fail_after(overall):
        for url in urls:
            # The asyncio habit `results.append(await fetch(url))`: each await waits for its
            # fetch to end before the next one starts.
            body = None
            with trio.move_on_after(per_request):
                body = await fetch(url)
            results.append(body)
    return results
