"""Background.start and deadline reach the loop with asyncio.get_event_loop() (otherwise correct).

Inside a running loop get_event_loop() returns that loop, so everything works; but it is the
deprecated way to find the loop, and outside a running loop it warns, makes a loop or raises
depending on the Python version.

Caught by: test_code_uses_get_running_loop_not_get_event_loop
"""

import asyncio


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
        task = asyncio.get_event_loop().create_task(coro)
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
    """The time seconds from now on the loop's clock."""
    return asyncio.get_event_loop().time() + seconds
