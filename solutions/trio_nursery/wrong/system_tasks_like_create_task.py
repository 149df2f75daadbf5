"""Mimics asyncio.create_task with trio.lowlevel.spawn_system_task and waits on Events.

Caught by: test_failing_fetch_cancels_the_others_and_raises_exception_group, test_overall_deadline_raises_too_slow_error_after_every_fetch_ended, test_failing_fetch_cancels_the_others_and_waits_for_them, test_failing_fetch_error_propagates_in_an_exception_group, test_callers_cancel_scope_cancels_every_fetch_and_propagates
"""

import trio


async def fetch_all(urls, fetch, *, per_request: float, overall: float) -> list:
    results: list = [None] * len(urls)
    finished = [trio.Event() for _ in urls]

    async def fetch_one(index, url):
        try:
            with trio.move_on_after(per_request):
                results[index] = await fetch(url)
        finally:
            finished[index].set()

    for index, url in enumerate(urls):
        # A task owned by nobody: when fetch_all gives up, it keeps running; when it fails,
        # nobody receives its error.
        trio.lowlevel.spawn_system_task(fetch_one, index, url)
    with trio.fail_after(overall):
        for event in finished:
            await event.wait()
    return results
