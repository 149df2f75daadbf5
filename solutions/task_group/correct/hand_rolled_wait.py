"""A hand-made task group: create_task, asyncio.wait(FIRST_EXCEPTION), then cancel and wait for the rest.

fetch_all stops every fetch still running on any way out of the wait (a failure, or a cancellation
of fetch_all itself) and waits until they have all finished, whatever cancellations arrive
meanwhile; then it raises the failures in an ExceptionGroup. fetch_or_report uses except*.
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
    tasks = {name: asyncio.create_task(fetch(name)) for name in names}
    if not tasks:
        return {}
    try:
        await asyncio.wait(tasks.values(), return_when=asyncio.FIRST_EXCEPTION)
    finally:
        # Runs after the first failure and on our own cancellation alike (asyncio.wait never
        # cancels what it waits for, so we must). Cancelling a finished task does nothing.
        await _cancel_and_wait(tasks.values())
    # Retrieve every task's exception, so none is reported as "never retrieved".
    errors = [t.exception() for t in tasks.values() if not t.cancelled() and t.exception()]
    if errors:
        raise ExceptionGroup("fetch_all failed", errors)
    return {name: task.result() for name, task in tasks.items()}


async def _cancel_and_wait(tasks) -> None:
    """Cancel ``tasks`` and wait until all have finished, even if we are cancelled meanwhile."""
    tasks = set(tasks)
    for task in tasks:
        task.cancel()
    interrupted = False
    while not all(task.done() for task in tasks):
        try:
            await asyncio.wait(tasks)
        except asyncio.CancelledError:
            interrupted = True  # keep waiting: leaving now would leave fetches running
    if interrupted:
        raise asyncio.CancelledError


async def fetch_or_report(fetch, names) -> tuple[dict, dict]:
    """Report missing and unreachable resources by name; let other failures propagate."""
    problems = {}
    try:
        return await fetch_all(fetch, names), {}
    except* NotFound as group:
        problems.update((exc.name, "missing") for exc in group.exceptions)
    except* Unreachable as group:
        problems.update((exc.name, "unreachable") for exc in group.exceptions)
    return {}, problems
