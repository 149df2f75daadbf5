"""fetch_all, when cancelled, stops the fetches and returns what it has so far: it swallows its own cancellation.

Caught by: test_cancelled_at_each_await_ends_cancelled_with_nothing_running, test_cancelled_while_fetching_cancels_every_fetch_and_waits
"""

import asyncio


class FetchError(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class NotFound(FetchError):
    pass


class Unreachable(FetchError):
    pass


async def fetch_all(fetch, names) -> dict:
    tasks = {name: asyncio.create_task(fetch(name)) for name in names}
    if not tasks:
        return {}
    try:
        await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_EXCEPTION)
    except asyncio.CancelledError:
        pass  # "cancelled: stop the fetches below and hand back whatever we already have"
    for task in tasks.values():
        task.cancel()
    await asyncio.wait(tasks.values())
    errors = [t.exception() for t in tasks.values() if not t.cancelled() and t.exception()]
    if errors:
        raise ExceptionGroup("fetch_all failed", errors)
    return {name: t.result() for name, t in tasks.items() if not t.cancelled()}


async def fetch_or_report(fetch, names) -> tuple[dict, dict]:
    problems = {}
    try:
        return await fetch_all(fetch, names), {}
    except* NotFound as group:
        problems.update((exc.name, "missing") for exc in group.exceptions)
    except* Unreachable as group:
        problems.update((exc.name, "unreachable") for exc in group.exceptions)
    return {}, problems
