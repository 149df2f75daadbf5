"""Times each request with a watchdog task in a nursery of its own: errors arrive in nested groups.

Each child opens a small nursery running the fetch and a watchdog that cancels that nursery after
`per_request` seconds (the fetch cancels the watchdog when it is done first). A failing fetch
therefore reaches the caller as an ExceptionGroup inside an ExceptionGroup: still a group whose
only leaf is the fetch's own exception, which `except*` handles the same.
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    """Fetch every url at once; bodies in the order of ``urls``, None for a request too slow."""
    results: list = [None] * len(urls)

    async def fetch_one(index, url):
        async with trio.open_nursery() as timing:

            async def watchdog():
                await trio.sleep(per_request)
                timing.cancel_scope.cancel()

            async def request():
                results[index] = await fetch(url)
                timing.cancel_scope.cancel()  # done in time: stop the watchdog

            timing.start_soon(watchdog)
            timing.start_soon(request)

    with trio.fail_after(overall):
        async with trio.open_nursery() as nursery:
            for index, url in enumerate(urls):
                nursery.start_soon(fetch_one, index, url)
    return results
