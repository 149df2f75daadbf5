"""Structured concurrency with TaskGroup: the reference solution of task_group.

``fetch_all`` fetches a set of resources at once, all or nothing: the first failure cancels the
fetches still running, waits until they have finished, and raises every failure together in an
``ExceptionGroup``. ``fetch_or_report`` turns the failures it knows (missing, unreachable) into a
report with ``except*`` and lets any other kind of failure propagate.
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
    """Fetch every name at once with ``await fetch(name)``; return ``{name: result}``.

    If any fetch fails, the others are cancelled and waited for, and every failure is raised
    together in an ExceptionGroup. If fetch_all itself is cancelled, so is every fetch.
    """
    # The TaskGroup owns its tasks: when one fails it cancels the rest, and `async with` does not
    # exit until every task has finished (cancelled ones included). The failures come out as one
    # ExceptionGroup, and a cancellation of fetch_all itself is passed on to every child first.
    async with asyncio.TaskGroup() as tg:
        tasks = {name: tg.create_task(fetch(name)) for name in names}
    return {name: task.result() for name, task in tasks.items()}


async def fetch_or_report(fetch, names) -> tuple[dict, dict]:
    """Like fetch_all, but report missing and unreachable resources instead of raising.

    Returns ``(results, {})`` on success, or ``({}, problems)`` where problems maps each failed
    name to "missing" or "unreachable". Any other failure propagates in an ExceptionGroup.
    """
    problems = {}
    try:
        return await fetch_all(fetch, names), {}
    # Each except* clause receives the sub-group of failures of its kind, so two kinds at once are
    # both handled; whatever no clause matches is re-raised (as a group) after the clauses ran.
    except* NotFound as group:
        problems.update((exc.name, "missing") for exc in _leaves(group))
    except* Unreachable as group:
        problems.update((exc.name, "unreachable") for exc in _leaves(group))
    return {}, problems


def _leaves(group: BaseExceptionGroup):
    """The exceptions in a group, nested groups flattened (except* keeps the nesting)."""
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(exc)
        else:
            yield exc
