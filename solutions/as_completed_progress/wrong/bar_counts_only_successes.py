"""Advances the bar only for successful items: with a failure it stops short of total.

Caught by: test_progress_bar_ends_full
"""

import asyncio

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """Correct processing, but failed items never move the bar."""
    items = list(items)

    async def one(item):
        try:
            return item, True, await work(item)
        except Exception as exc:
            return item, False, exc

    results, errors = {}, {}
    with tqdm(total=len(items), file=file) as bar:
        for fut in asyncio.as_completed([one(i) for i in items]):
            item, ok, outcome = await fut
            if ok:
                results[item] = outcome
                on_result(item, outcome)
                bar.update(1)
            else:
                errors[item] = outcome
    return results, errors
