"""Awaiting each as_completed entry re-raises a failure, and the loop stops: later items are lost.

Caught by: test_one_failure_loses_no_other_item, test_results_and_errors_by_item
"""

import asyncio

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """Handle outcomes as they come; the first error ends the loop."""
    items = list(items)

    async def one(item):
        return item, await work(item)

    results, errors = {}, {}
    tasks = [asyncio.create_task(one(i)) for i in items]
    with tqdm(total=len(items), file=file) as bar:
        try:
            for fut in asyncio.as_completed(tasks):
                item, value = await fut
                results[item] = value
                on_result(item, value)
                bar.update(1)
        except Exception as exc:
            errors["?"] = exc
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    return results, errors
