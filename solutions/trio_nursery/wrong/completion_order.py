"""Runs the fetches in a nursery but appends each body when it arrives: completion order.

Caught by: test_fetches_run_at_once_and_results_keep_urls_order, test_five_fetches_overlap_and_results_keep_urls_order, test_slow_requests_give_none_cancelled_exactly_at_per_request
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results = []

    async def fetch_one(url):
        body = None
        with trio.move_on_after(per_request):
            body = await fetch(url)
        results.append(body)  # the order in which the fetches finish, not the order of urls

    with trio.fail_after(overall):
        async with trio.open_nursery() as nursery:
            for url in urls:
                nursery.start_soon(fetch_one, url)
    return results
