"""fetch_all is a hand-made task group whose own cancellation leaves the fetches running.

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
    # If fetch_all is cancelled here, asyncio.wait raises CancelledError but does not cancel the
    # tasks it waits for: they run on, owned by nobody.
    done, pending = await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_EXCEPTION)
    if pending:
        for task in pending:
            task.cancel()
        await asyncio.wait(pending)
    errors = [t.exception() for t in tasks.values() if not t.cancelled() and t.exception()]
    if errors:
        raise ExceptionGroup("fetch_all failed", errors)
    return {name: task.result() for name, task in tasks.items()}


async def fetch_or_report(fetch, names) -> tuple[dict, dict]:
    problems = {}
    try:
        return await fetch_all(fetch, names), {}
    except* NotFound as group:
        problems.update((exc.name, "missing") for exc in group.exceptions)
    except* Unreachable as group:
        problems.update((exc.name, "unreachable") for exc in group.exceptions)
    return {}, problems
