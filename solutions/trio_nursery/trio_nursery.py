"""Structured concurrency in trio: the reference solution of trio_nursery.

``fetch_all`` is the trio port of an asyncio ``gather`` under ``wait_for``: every fetch runs at
once in a nursery, each one under its own ``move_on_after`` (a slow request gives None), and the
whole call under ``fail_after`` (too slow overall: ``trio.TooSlowError``). A failing fetch cancels
its siblings, and its error propagates in the ExceptionGroup the nursery raises.
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    """Fetch every url at once; bodies in the order of ``urls``, None for a request too slow.

    Raises ``trio.TooSlowError`` if the whole call takes longer than ``overall`` seconds, and an
    ExceptionGroup holding a fetch's exception if one fails (the other fetches are cancelled).
    """
    # One slot per url, filled in by index: the fetches finish in any order, the list keeps the
    # order of `urls`. A slot left at None is a request that was too slow.
    results: list = [None] * len(urls)

    async def fetch_one(index: int, url) -> None:
        # The timeout belongs *inside* the child: a cancel scope covers the code run in its
        # `with` block, and a task started with start_soon runs in the nursery's scope, not in
        # whatever `with` surrounds the start_soon call.
        with trio.move_on_after(per_request):
            results[index] = await fetch(url)
        # Leaving a move_on_after block because its deadline passed is not an error: the
        # Cancelled exception stops at the block, and the slot simply stays None.

    # fail_after *around* the nursery: the deadline cancels everything inside, the nursery waits
    # until every fetch has really ended, then fail_after turns that cancellation into
    # TooSlowError. (Inside the nursery body it would only cover the loop of start_soon calls.)
    with trio.fail_after(overall):
        async with trio.open_nursery() as nursery:
            for index, url in enumerate(urls):
                # start_soon takes the function and its arguments, not a coroutine: the nursery
                # calls it, so no coroutine can be created and forgotten.
                nursery.start_soon(fetch_one, index, url)
        # The nursery block ends only when every child has ended. If a child raised, the others
        # were cancelled and the nursery raises an ExceptionGroup with that error: we let it go.
    return results
