"""Pairs items with as_completed by zip: results land under whichever item was next in the input.

Caught by: test_results_and_errors_by_item, test_on_result_as_each_item_finishes
"""

import asyncio

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """as_completed yields in completion order, but this assumes input order."""
    items = list(items)
    results, errors = {}, {}
    with tqdm(total=len(items), file=file) as bar:
        for item, fut in zip(items, asyncio.as_completed([work(i) for i in items])):
            try:
                value = await fut
            except Exception as exc:
                errors[item] = exc
            else:
                results[item] = value
                on_result(item, value)
            bar.update(1)
    return results, errors
