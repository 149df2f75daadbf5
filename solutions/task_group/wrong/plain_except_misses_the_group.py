"""fetch_or_report uses plain `except NotFound`: it never matches the ExceptionGroup a TaskGroup raises.

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
    try:
        return await fetch_all(fetch, names), {}
    except NotFound as exc:  # the TaskGroup raises an ExceptionGroup, which this does not match
        return {}, {exc.name: "missing"}
    except Unreachable as exc:
        return {}, {exc.name: "unreachable"}
