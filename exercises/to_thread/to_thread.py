"""Exercise to_thread: calling a blocking library from async code, with asyncio.to_thread.

Goal: `fetch_report(report_id, load)` returns `load(report_id)`, where `load` is an ordinary
blocking function (a database driver, an HTTP client without an async API), *without* blocking the
event loop: run it in a worker thread. `fetch_reports(ids, load, limit=4)` loads many reports, at
most `limit` at once, and returns them in the order of `ids`.

Read README.md for the full contract, then run `make check`.
"""


async def fetch_report(report_id, load) -> dict:
    """Return ``load(report_id)``, without blocking the event loop while it runs."""
    # TODO: `load` blocks the thread that calls it. Called here, on the event loop's thread, it
    # stops every other coroutine until it returns. Run it in a worker thread instead, and let an
    # exception it raises reach the caller unchanged.
    return load(report_id)


async def fetch_reports(ids, load, *, limit=4) -> list:
    """Load the report of every id, at most ``limit`` at once; return them in the order of ``ids``."""
    # TODO: this loads one report at a time. Run up to `limit` loads at the same time (never more),
    # start the next one as soon as one finishes, and keep the results in the order of `ids`.
    # If a load fails or this coroutine is cancelled, leave no task of yours running.
    results = []
    for report_id in ids:
        results.append(await fetch_report(report_id, load))
    return results
