"""Awaits the tasks in submission order: a fast item waits for the slow one before it.

Caught by: test_on_result_as_each_item_finishes
"""

import asyncio

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """Start all, then handle them in the order of items."""
    items = list(items)
    tasks = [asyncio.create_task(work(i)) for i in items]
    results, errors = {}, {}
    with tqdm(total=len(items), file=file) as bar:
        for item, task in zip(items, tasks):
            try:
                value = await task
            except Exception as exc:
                errors[item] = exc
            else:
                results[item] = value
                on_result(item, value)
            bar.update(1)
    return results, errors
