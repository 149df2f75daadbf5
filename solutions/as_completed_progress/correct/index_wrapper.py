"""Approach: as_completed over tasks whose coroutine stores its own outcome and returns (item, ok)."""

import asyncio

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """Run work(item) for all items at once; handle each result as soon as it is ready."""
    items = list(items)
    results, errors = {}, {}

    async def tagged(item):
        try:
            value = await work(item)
        except Exception as exc:
            errors[item] = exc
            return item, False
        results[item] = value
        return item, True

    bar = tqdm(total=len(items), file=file)
    for fut in asyncio.as_completed([asyncio.create_task(tagged(i)) for i in items]):
        item, ok = await fut
        if ok:
            on_result(item, results[item])
        bar.update(1)
    bar.close()
    return results, errors
