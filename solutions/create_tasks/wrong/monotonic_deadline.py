"""deadline uses time.monotonic(), which is not the event loop's clock.

Caught by: test_deadline_is_on_the_loop_clock
"""

import asyncio
import time


async def prefetch(keys, fetch):
    """Fetch every key at the same time."""
    async with asyncio.TaskGroup() as group:
        tasks = {key: group.create_task(fetch(key)) for key in keys}
    return {key: task.result() for key, task in tasks.items()}


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
    """The time seconds from now."""
    return time.monotonic() + seconds
