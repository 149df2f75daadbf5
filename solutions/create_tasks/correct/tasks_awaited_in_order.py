"""prefetch starts every task, then awaits them one by one in key order (with cleanup on the way
out); Background records each outcome in its done callback and awaits a snapshot of its tasks.
"""

import asyncio


async def prefetch(keys, fetch):
    """Fetch every key at the same time; values by key, in the order of keys."""
    # All the tasks exist (and so run) before the first await below: awaiting them in order
    # still takes only as long as the slowest fetch.
    tasks = {key: asyncio.create_task(fetch(key)) for key in keys}
    values = {}
    try:
        for key, task in tasks.items():
            values[key] = await task
    finally:
        # On an error (or our own cancellation), stop the fetches still running and wait for
        # them; return_exceptions also retrieves the error of any other fetch that failed.
        for task in tasks.values():
            task.cancel()
        await asyncio.gather(*tasks.values(), return_exceptions=True)
    return values


class Background:
    """Keeps fire-and-forget tasks alive until they finish, and collects their errors."""

    def __init__(self):
        self.tasks = set()
        self.errors = []

    def start(self, coro):
        """Run coro in a task of its own; return the task."""
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)
        task.add_done_callback(self._record)
        return task

    def _record(self, task):
        self.tasks.discard(task)
        if task.cancelled():
            return
        if task.exception() is not None:
            self.errors.append(task.exception())

    async def wait(self):
        """Wait for every task started so far; raise the errors, if any."""
        while self.tasks:
            for task in list(self.tasks):
                # asyncio.wait, not `await task`: a failed task must not stop us waiting for the
                # others, and catching CancelledError here could swallow our own cancellation.
                await asyncio.wait({task})
        if self.errors:
            found, self.errors = self.errors, []
            raise ExceptionGroup("background tasks failed", found)


def deadline(seconds):
    """The time seconds from now on the running loop's clock."""
    return asyncio.get_running_loop().time() + seconds
