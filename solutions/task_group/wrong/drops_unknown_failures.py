"""fetch_or_report catches the whole ExceptionGroup, reports the kinds it knows and silently drops the rest.

Caught by: test_report_lets_other_failures_through
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
    except ExceptionGroup as group:
        problems = {}
        for exc in group.exceptions:
            if isinstance(exc, NotFound):
                problems[exc.name] = "missing"
            elif isinstance(exc, Unreachable):
                problems[exc.name] = "unreachable"
            # anything else: forgotten, and the caller never hears of it
        return {}, problems
