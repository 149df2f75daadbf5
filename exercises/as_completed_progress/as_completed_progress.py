"""Results as they complete, with a progress bar.

Goal: ``process_all(items, work, *, on_result, file=None)`` runs ``work(item)`` for every item at
the same time and handles each outcome as soon as it is ready: a success is stored and passed to
``on_result(item, value)`` right away, a failure is stored under its item without stopping the
others. A tqdm progress bar (written to ``file``) counts finished items up to ``len(items)``. It
returns ``(results_by_item, errors_by_item)``. The README has the exact contract; run ``make check``.

This code imports and runs, but it works on one item after another, and the first error ends it.
"""

from tqdm import tqdm


async def process_all(items, work, *, on_result, file=None):
    """Run work(item) for all items at once; return ({item: value}, {item: exception})."""
    items = list(items)
    results, errors = {}, {}
    # TODO: make the bar know how many items there are (total=...), and close it at the end.
    bar = tqdm(file=file)
    # TODO: this awaits one item after another. Start them all, and take the outcomes in the
    #       order they finish (asyncio.as_completed), remembering which item each belongs to.
    for item in items:
        # TODO: awaiting re-raises work's exception: record it in errors[item] and go on.
        value = await work(item)
        results[item] = value
        on_result(item, value)
        bar.update(1)
    return results, errors
