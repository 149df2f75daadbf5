"""Exercise trio_nursery: structured concurrency in trio, nurseries and cancel scopes.

Goal: port this asyncio function to trio. It fetches every url at once, gives None for a request
slower than `per_request` seconds, and gives up on the whole batch after `overall` seconds:

    async def fetch_all(urls, fetch, *, per_request, overall):
        async def one(url):
            try:
                return await asyncio.wait_for(fetch(url), per_request)
            except TimeoutError:
                return None

        return await asyncio.wait_for(asyncio.gather(*(one(u) for u in urls)), overall)

In trio: run the fetches in a nursery, each under `trio.move_on_after(per_request)`, and the whole
call under `trio.fail_after(overall)` (which raises `trio.TooSlowError`). A failing fetch cancels the
others, and its error propagates in the ExceptionGroup the nursery raises.

Read README.md for the full contract, then run `make check`.
"""

import trio  # noqa: F401  (you will need it)


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    """Fetch every url at once; bodies in the order of ``urls``, None for a request too slow."""
    results = []
    # TODO: this fetches one url after another. Start them all at once in a nursery
    # (`async with trio.open_nursery() as nursery:` and `nursery.start_soon(...)`), and keep the
    # results in the order of `urls`, whatever order the fetches finish in.
    for url in urls:
        # TODO: a fetch slower than `per_request` seconds must be cancelled, and give None.
        results.append(await fetch(url))
    # TODO: the whole call must raise trio.TooSlowError once `overall` seconds have passed, after
    # every fetch still running has been cancelled and has ended.
    return results
