"""Uses bare CancelScope objects: a deadline per request, and the nursery's own scope overall.

Per request, `trio.CancelScope(deadline=...)` is what move_on_after builds. For the whole call the
deadline is set on the nursery's own cancel scope, and `cancelled_caught` afterwards tells that
it fired: then TooSlowError is raised by hand, which is what fail_after does.
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    """Fetch every url at once; bodies in the order of ``urls``, None for a request too slow."""
    results: list = [None] * len(urls)

    async def fetch_one(index, url):
        with trio.CancelScope(deadline=trio.current_time() + per_request):
            results[index] = await fetch(url)

    async with trio.open_nursery() as nursery:
        nursery.cancel_scope.deadline = trio.current_time() + overall
        for index, url in enumerate(urls):
            nursery.start_soon(fetch_one, index, url)
    if nursery.cancel_scope.cancelled_caught:
        raise trio.TooSlowError
    return results
