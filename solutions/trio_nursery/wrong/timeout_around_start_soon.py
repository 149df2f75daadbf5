"""Puts move_on_after around nursery.start_soon: the scope does not cover the started task.

Caught by: test_slow_request_gives_none_after_per_request, test_slow_requests_give_none_cancelled_exactly_at_per_request
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results: list = [None] * len(urls)

    async def fetch_one(index, url):
        results[index] = await fetch(url)

    with trio.fail_after(overall):
        async with trio.open_nursery() as nursery:
            for index, url in enumerate(urls):
                # start_soon returns at once, and the task runs in the nursery's cancel scope,
                # not in this one: the per-request timeout never applies to the fetch.
                with trio.move_on_after(per_request):
                    nursery.start_soon(fetch_one, index, url)
    return results
