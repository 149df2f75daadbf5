"""fetch_all uses asyncio.gather: when one fetch fails, the others run on and only the first failure comes out.

Caught by: test_a_failure_cancels_the_fetches_still_running, test_cancelled_while_fetching_cancels_every_fetch_and_waits, test_every_simultaneous_failure_is_reported, test_report_lets_other_failures_through, test_report_lists_the_missing_resources, test_report_names_every_failure_by_kind, test_siblings_are_cancelled_at_the_failure_and_finish_before_it_raises
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
    # "gather runs them concurrently, that is all I need": the first exception propagates at
    # once, while the other fetches keep running, unowned.
    results = await asyncio.gather(*(fetch(name) for name in names))
    return dict(zip(names, results))


async def fetch_or_report(fetch, names) -> tuple[dict, dict]:
    problems = {}
    try:
        return await fetch_all(fetch, names), {}
    except* NotFound as group:
        problems.update((exc.name, "missing") for exc in group.exceptions)
    except* Unreachable as group:
        problems.update((exc.name, "unreachable") for exc in group.exceptions)
    return {}, problems
