"""fetch_all gathers with return_exceptions=True and raises the failures afterwards: nothing is cancelled, every fetch runs to its end.

Caught by: test_a_failure_cancels_the_fetches_still_running, test_every_simultaneous_failure_is_reported, test_siblings_are_cancelled_at_the_failure_and_finish_before_it_raises
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
    outcomes = await asyncio.gather(*(fetch(name) for name in names), return_exceptions=True)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    if errors:
        # Every failure is reported... but only after the slowest fetch has finished.
        raise ExceptionGroup("fetch_all failed", errors)
    return dict(zip(names, outcomes))


async def fetch_or_report(fetch, names) -> tuple[dict, dict]:
    problems = {}
    try:
        return await fetch_all(fetch, names), {}
    except* NotFound as group:
        problems.update((exc.name, "missing") for exc in group.exceptions)
    except* Unreachable as group:
        problems.update((exc.name, "unreachable") for exc in group.exceptions)
    return {}, problems
