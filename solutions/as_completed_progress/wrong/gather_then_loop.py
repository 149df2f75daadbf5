"""Gathers every result first, then loops: on_result runs only after the slowest item finished.

Caught by: test_on_result_as_each_item_finishes
"""

import asyncio

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """Run everything, then handle the outcomes."""
    items = list(items)
    outcomes = await asyncio.gather(*(work(i) for i in items), return_exceptions=True)
    results, errors = {}, {}
    with tqdm(total=len(items), file=file) as bar:
        for item, outcome in zip(items, outcomes):
            if isinstance(outcome, Exception):
                errors[item] = outcome
            else:
                results[item] = outcome
                on_result(item, outcome)
            bar.update(1)
    return results, errors
