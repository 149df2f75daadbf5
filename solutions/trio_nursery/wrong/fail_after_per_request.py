"""Uses fail_after for each request: a slow request raises TooSlowError instead of giving None.

Caught by: test_slow_request_gives_none_after_per_request, test_slow_requests_give_none_cancelled_exactly_at_per_request
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results: list = [None] * len(urls)

    async def fetch_one(index, url):
        with trio.fail_after(per_request):  # raises TooSlowError, which fails the whole nursery
            results[index] = await fetch(url)

    with trio.fail_after(overall):
        async with trio.open_nursery() as nursery:
            for index, url in enumerate(urls):
                nursery.start_soon(fetch_one, index, url)
    return results
