"""Reference: asyncio.as_completed over wrapper coroutines that return (item, outcome)."""

import asyncio

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """Run work(item) for all items at once; handle each result as soon as it is ready."""
    items = list(items)

    # as_completed yields awaitables in completion order, not items: each wrapper carries its
    # own item, and catches that item's error so one failure never ends the loop.
    async def one(item):
        try:
            return item, True, await work(item)
        except Exception as exc:  # per-item errors are the point
            return item, False, exc

    results, errors = {}, {}
    bar = tqdm(total=len(items), file=file)
    try:
        for next_done in asyncio.as_completed([one(item) for item in items]):
            item, ok, outcome = await next_done
            if ok:
                results[item] = outcome
                on_result(item, outcome)
            else:
                errors[item] = outcome
            bar.update(1)
    finally:
        bar.close()  # writes the final state of the bar
    return results, errors
