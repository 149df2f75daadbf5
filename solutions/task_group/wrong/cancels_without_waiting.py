"""fetch_all cancels the pending fetches after the first failure but raises without waiting for them to finish.

Caught by: test_a_failure_cancels_the_fetches_still_running, test_report_lets_other_failures_through, test_report_names_every_failure_by_kind, test_siblings_are_cancelled_at_the_failure_and_finish_before_it_raises
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
    try:
        done, pending = await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_EXCEPTION)
    except asyncio.CancelledError:
        for task in tasks.values():
            task.cancel()
        await asyncio.wait(tasks.values())
        raise
    errors = [t.exception() for t in done if not t.cancelled() and t.exception() is not None]
    if errors:
        for task in pending:
            task.cancel()  # cancel() only asks: they are still releasing when we raise
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
