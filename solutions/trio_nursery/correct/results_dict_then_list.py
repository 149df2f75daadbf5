"""Collects the bodies in a dict keyed by index, with absolute deadlines computed once.

The children write into a dict keyed by index; the timeouts are `move_on_at` / `fail_at` with
instants computed once from `trio.current_time()` at the call (every fetch starts at that instant,
so one per-request deadline serves them all). The list is built from the dict at the end, None for
a missing index.
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    """Fetch every url at once; bodies in the order of ``urls``, None for a request too slow."""
    started = trio.current_time()
    bodies: dict[int, str] = {}

    async def fetch_one(index, url):
        with trio.move_on_at(started + per_request):
            bodies[index] = await fetch(url)

    with trio.fail_at(started + overall):
        async with trio.open_nursery() as nursery:
            for index, url in enumerate(urls):
                nursery.start_soon(fetch_one, index, url)
    return [bodies.get(index) for index in range(len(urls))]
