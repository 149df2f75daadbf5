"""Unwraps the nursery's ExceptionGroup and re-raises the first error alone, asyncio-style.

Caught by: test_failing_fetch_cancels_the_others_and_raises_exception_group, test_failing_fetch_error_propagates_in_an_exception_group
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results: list = [None] * len(urls)

    async def fetch_one(index, url):
        with trio.move_on_after(per_request):
            results[index] = await fetch(url)

    with trio.fail_after(overall):
        try:
            async with trio.open_nursery() as nursery:
                for index, url in enumerate(urls):
                    nursery.start_soon(fetch_one, index, url)
        except ExceptionGroup as group:
            # Makes it look like gather's first exception, and drops any other error in the group.
            raise group.exceptions[0] from None
    return results
