"""prefetch gathers its tasks and cancels the rest in a finally; Background keeps a dict of tasks
and retrieves every error in a done callback; wait() gathers with return_exceptions.
"""

import asyncio


async def prefetch(keys, fetch):
    """Fetch every key at the same time; values by key, in the order of keys."""
    tasks = {key: asyncio.create_task(fetch(key), name=f"fetch {key!r}") for key in keys}
    try:
        results = await asyncio.gather(*tasks.values())
    finally:
        # On an error (or our own cancellation) gather leaves the other tasks running: stop them
        # and wait until they have ended, so nothing outlives prefetch.
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
    return dict(zip(tasks, results, strict=True))


class Background:
    """Keeps fire-and-forget tasks alive until they finish, and collects their errors."""

    def __init__(self):
        self.tasks = {}  # task -> what it runs; a dict keeps insertion order, handy for logs
        self.failures = []

    def start(self, coro):
        """Run coro in a task of its own, starting at the next turn of the loop."""
        task = asyncio.create_task(coro)
        self.tasks[task] = coro.__qualname__
        task.add_done_callback(self._on_done)
        return task

    def _on_done(self, task):
        del self.tasks[task]
        if not task.cancelled() and (error := task.exception()) is not None:
            self.failures.append(error)

    async def wait(self):
        """Wait until no task is left running, then raise every error not raised yet."""
        while self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        failures, self.failures = self.failures, []
        if failures:
            raise ExceptionGroup(f"{len(failures)} background task(s) failed", failures)


def deadline(seconds):
    """The time seconds from now on the running loop's clock."""
    loop = asyncio.get_running_loop()
    return loop.time() + seconds
