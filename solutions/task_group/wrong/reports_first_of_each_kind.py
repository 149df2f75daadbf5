"""fetch_or_report uses except* but reports only the first exception of each group.

Caught by: test_report_lists_the_missing_resources, test_report_names_every_failure_by_kind
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
    async with asyncio.TaskGroup() as tg:
        tasks = {name: tg.create_task(fetch(name)) for name in names}
    return {name: task.result() for name, task in tasks.items()}


async def fetch_or_report(fetch, names) -> tuple[dict, dict]:
    problems = {}
    try:
        return await fetch_all(fetch, names), {}
    except* NotFound as group:
        problems[group.exceptions[0].name] = "missing"  # one per kind, as if only one could fail
    except* Unreachable as group:
        problems[group.exceptions[0].name] = "unreachable"
    return {}, problems
