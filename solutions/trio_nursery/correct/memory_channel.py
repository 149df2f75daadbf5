"""Children send (index, body) over a memory channel; the nursery body receives them in order.

Each child reports exactly once, None when its per-request scope was cancelled
(`scope.cancelled_caught`); the parent places each report at its index. If a fetch fails, the
nursery cancels the receiving body too and raises its ExceptionGroup, which passes through.
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    """Fetch every url at once; bodies in the order of ``urls``, None for a request too slow."""
    results: list = [None] * len(urls)
    send, receive = trio.open_memory_channel(len(urls))

    async def fetch_one(index, url):
        body = None
        with trio.move_on_after(per_request) as scope:
            body = await fetch(url)
        await send.send((index, None if scope.cancelled_caught else body))

    with send, receive:
        with trio.fail_after(overall):
            async with trio.open_nursery() as nursery:
                for index, url in enumerate(urls):
                    nursery.start_soon(fetch_one, index, url)
                for _ in urls:
                    index, body = await receive.receive()
                    results[index] = body
    return results
