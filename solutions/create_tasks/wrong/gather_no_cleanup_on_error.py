"""prefetch gathers tasks, but when one fetch fails the others are left running behind its back.

Caught by: test_prefetch_error_reaches_the_caller_and_leaves_nothing_running
"""

import asyncio


async def prefetch(keys, fetch):
    """Fetch every key at the same time with gather (no cleanup on error)."""
    tasks = {key: asyncio.create_task(fetch(key)) for key in keys}
    results = await asyncio.gather(*tasks.values())
    return dict(zip(tasks, results))


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

