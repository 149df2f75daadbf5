"""Catches a fetch's exception and gives None, as for a slow request: errors vanish, nothing is cancelled.

Caught by: test_failing_fetch_cancels_the_others_and_raises_exception_group, test_failing_fetch_cancels_the_others_and_waits_for_them, test_failing_fetch_error_propagates_in_an_exception_group
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results: list = [None] * len(urls)

    async def fetch_one(index, url):
        try:
            with trio.move_on_after(per_request):
                results[index] = await fetch(url)
        except Exception:
            pass  # "a broken request is just a missing result": the siblings never hear of it

    with trio.fail_after(overall):
        async with trio.open_nursery() as nursery:
            for index, url in enumerate(urls):
                nursery.start_soon(fetch_one, index, url)
    return results
