"""TaskGroup with tasks in a list, and ExceptionGroup.split() instead of except*.

fetch_all zips the names with a list of tasks. fetch_or_report catches the whole group and splits
it by kind with `split()`, which is what except* does underneath; what is left after taking out
the kinds it knows is re-raised as a group.
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
    names = list(names)
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(fetch(name)) for name in names]
    return dict(zip(names, (task.result() for task in tasks), strict=True))


def _names(group) -> list[str]:
    if group is None:
        return []
    names = []
    for exc in group.exceptions:
        names.extend(_names(exc) if isinstance(exc, BaseExceptionGroup) else [exc.name])
    return names


async def fetch_or_report(fetch, names) -> tuple[dict, dict]:
    """Report missing and unreachable resources by name; let other failures propagate."""
    try:
        return await fetch_all(fetch, names), {}
    except BaseExceptionGroup as group:
        missing, rest = group.split(NotFound)
        unreachable, rest = rest.split(Unreachable) if rest is not None else (None, None)
        if rest is not None:
            raise rest from None  # the kinds we do not know, still as a group
        problems = {name: "missing" for name in _names(missing)}
        problems.update((name, "unreachable") for name in _names(unreachable))
        return {}, problems
