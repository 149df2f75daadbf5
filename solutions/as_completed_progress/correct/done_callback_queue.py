"""Approach: tasks whose done callbacks feed a queue; the loop takes len(items) entries from it."""

import asyncio

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """Run work(item) for all items at once; handle each result as soon as it is ready."""
    items = list(items)
    finished = asyncio.Queue()
    tasks = []
    for item in items:
        task = asyncio.create_task(work(item))
        task.add_done_callback(lambda t, item=item: finished.put_nowait((item, t)))
        tasks.append(task)
    results, errors = {}, {}
    bar = tqdm(total=len(items), file=file)
    for _ in items:
        item, task = await finished.get()
        try:
            value = task.result()
        except Exception as exc:
            errors[item] = exc
        else:
            results[item] = value
            on_result(item, value)
        bar.update(1)
    bar.close()
    return results, errors
