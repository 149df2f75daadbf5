"""Exercise task_group: structured concurrency with asyncio.TaskGroup.

Goal: make `fetch_all` fetch a set of resources at once, all or nothing: when one fetch fails, the
others are cancelled and waited for, and every failure is raised together in an ExceptionGroup;
when fetch_all itself is cancelled, so is every fetch. Make `fetch_or_report` report missing and
unreachable resources by kind with `except*`, and let any other failure propagate.

Read README.md for the full contract, then run `make check`.
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
    """Fetch every name at once with ``await fetch(name)``; return ``{name: result}``."""
    # TODO: gather starts every fetch at once, but when one fails the others run on, and only the
    # first failure comes out. Make one failure cancel the fetches still running, wait until they
    # have finished, and raise every failure together in an ExceptionGroup.
    results = await asyncio.gather(*(fetch(name) for name in names))
    return dict(zip(names, results, strict=True))


async def fetch_or_report(fetch, names) -> tuple[dict, dict]:
    """Return ``(results, {})``, or ``({}, problems)`` naming each missing/unreachable resource."""
    try:
        return await fetch_all(fetch, names), {}
    # TODO: once fetch_all raises an ExceptionGroup, a plain `except` clause never matches it. Report
    # every failed name by kind ("missing" or "unreachable"), and let any other kind propagate.
    except NotFound as exc:
        return {}, {exc.name: "missing"}
    except Unreachable as exc:
        return {}, {exc.name: "unreachable"}
