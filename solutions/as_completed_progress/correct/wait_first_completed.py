"""Approach: a task per item and an asyncio.wait(FIRST_COMPLETED) loop, with a task -> item map."""

import asyncio

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """Run work(item) for all items at once; handle each result as soon as it is ready."""
    items = list(items)
    pending = {asyncio.create_task(work(item)): item for item in items}
    results, errors = {}, {}
    with tqdm(total=len(items), file=file) as bar:
        while pending:
            done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                item = pending.pop(task)
                if task.exception() is not None:
                    errors[item] = task.exception()
                else:
                    results[item] = task.result()
                    on_result(item, task.result())
                bar.update(1)
    return results, errors
