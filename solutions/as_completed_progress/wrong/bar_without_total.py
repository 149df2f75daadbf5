"""Makes the bar without total=len(items): tqdm shows a bare count, never "n/total".

Caught by: test_progress_bar_ends_full
"""

import asyncio

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """Correct processing, but the bar does not know how many items there are."""
    items = list(items)

    async def one(item):
        try:
            return item, True, await work(item)
        except Exception as exc:
            return item, False, exc

    results, errors = {}, {}
    with tqdm(file=file) as bar:
        for fut in asyncio.as_completed([one(i) for i in items]):
            item, ok, outcome = await fut
            if ok:
                results[item] = outcome
                on_result(item, outcome)
            else:
                errors[item] = outcome
            bar.update(1)
    return results, errors
