"""Background.wait gathers the running tasks: it raises the first error only, at once, and an error
from a task that failed before wait() was called is lost.

Caught by: test_wait_raises_every_error_and_waits_for_all
"""

import asyncio


async def prefetch(keys, fetch):
    """Fetch every key at the same time."""
    async with asyncio.TaskGroup() as group:
        tasks = {key: group.create_task(fetch(key)) for key in keys}
    return {key: task.result() for key, task in tasks.items()}


class Background:
    """Keeps fire-and-forget tasks alive until they finish."""

    def __init__(self):
        self.tasks = set()

    def start(self, coro):
        """Run coro in a task of its own; return the task."""
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def wait(self):
        """Wait for every task started so far; an error propagates."""
        await asyncio.gather(*self.tasks)


def deadline(seconds):
    """The time seconds from now on the running loop's clock."""
    return asyncio.get_running_loop().time() + seconds

