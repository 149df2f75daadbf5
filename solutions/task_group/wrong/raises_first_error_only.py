"""fetch_all uses a TaskGroup but unwraps the ExceptionGroup and raises only its first exception.

Caught by: test_a_failure_cancels_the_fetches_still_running, test_every_simultaneous_failure_is_reported, test_report_lets_other_failures_through, test_report_lists_the_missing_resources, test_report_names_every_failure_by_kind
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
    try:
        async with asyncio.TaskGroup() as tg:
            tasks = {name: tg.create_task(fetch(name)) for name in names}
    except ExceptionGroup as group:
        # "Callers want a plain exception": every other failure is thrown away.
        raise group.exceptions[0] from None
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
