"""prefetch awaits one fetch before starting the next (Background and deadline are fine).

Caught by: test_prefetch_starts_every_fetch_before_any_finishes, test_prefetch_keeps_the_order_of_keys
"""

import asyncio


async def prefetch(keys, fetch):
    """Fetch every key, one after another."""
    values = {}
    for key in keys:
        values[key] = await fetch(key)
    return values


class Background:
    """Keeps fire-and-forget tasks alive until they finish, and collects their errors."""

    def __init__(self):
        self.tasks = set()
        self._errors = []

    def start(self, coro):
        """Run coro in a task of its own; return the task."""
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task):
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self._errors.append(task.exception())

    async def wait(self):
        """Wait for every task started so far; raise their errors."""
        while self.tasks:
            await asyncio.wait(set(self.tasks))
        if self._errors:
            errors, self._errors = self._errors, []
            raise ExceptionGroup("background tasks failed", errors)


def deadline(seconds):
    """The time seconds from now on the running loop's clock."""
    return asyncio.get_running_loop().time() + seconds

