"""Puts fail_after(overall) inside the nursery body: it only covers the start_soon loop.

Caught by: test_overall_deadline_raises_too_slow_error, test_overall_deadline_raises_too_slow_error_after_every_fetch_ended
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results: list = [None] * len(urls)

    async def fetch_one(index, url):
        with trio.move_on_after(per_request):
            results[index] = await fetch(url)

    async with trio.open_nursery() as nursery:
        # The block is over as soon as the tasks are started; the waiting happens when the
        # nursery block ends, outside this scope, so the overall deadline never fires.
        with trio.fail_after(overall):
            for index, url in enumerate(urls):
                nursery.start_soon(fetch_one, index, url)
    return results
