"""TaskGroup whose children store their own results; one except* clause for both kinds, sorted with match.

fetch_all: each child coroutine writes its result into a shared dict (no Task objects kept); the
TaskGroup does the cancelling and waiting. fetch_or_report: a single `except* (NotFound,
Unreachable)` clause receives every reportable failure and a `match` statement names its kind; any
other kind is not matched by the clause and propagates in a group.
"""

import asyncio


class FetchError(Exception):
    """A fetch failed in a way worth reporting; ``name`` is the resource it was fetching."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class NotFound(FetchError):
    """The resource does not exist."""


class Unreachable(FetchError):
    """The server holding the resource could not be reached."""


async def fetch_all(fetch, names) -> dict:
    """Fetch every name at once; all or nothing, every failure in an ExceptionGroup."""
    fetched = {}

    async def fetch_one(name):
        fetched[name] = await fetch(name)

    async with asyncio.TaskGroup() as tg:
        for name in names:
            tg.create_task(fetch_one(name))
    return {name: fetched[name] for name in names}  # in the order asked, not of completion


def _leaves(group):
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc


async def fetch_or_report(fetch, names) -> tuple[dict, dict]:
    """Report missing and unreachable resources by name; let other failures propagate."""
    problems = {}
    try:
        return await fetch_all(fetch, names), {}
    except* (NotFound, Unreachable) as group:
        for exc in _leaves(group):
            match exc:
                case NotFound(name=name):
                    problems[name] = "missing"
                case Unreachable(name=name):
                    problems[name] = "unreachable"
    return {}, problems
