"""Background keeps its tasks in a weakref.WeakSet, "to avoid a leak": that holds no task alive.

A WeakSet empties itself when a task is collected, but that is the whole problem: the event loop's
own references are weak too, so nothing keeps a waiting task from being garbage-collected.

Caught by: test_background_keeps_a_strong_reference_until_done
"""

import asyncio
import weakref


async def prefetch(keys, fetch):
    """Fetch every key at the same time."""
    async with asyncio.TaskGroup() as group:
        tasks = {key: group.create_task(fetch(key)) for key in keys}
    return {key: task.result() for key, task in tasks.items()}


class Background:
    """Tracks fire-and-forget tasks weakly, and collects their errors."""

    def __init__(self):
        self.tasks = weakref.WeakSet()
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
