"""Background.start is fire-and-forget: it returns the task but keeps no reference to it.

The event loop holds tasks only weakly, so a task nothing else refers to can be garbage-collected
while it waits; wait() has no record of what to wait for.

Caught by: test_background_keeps_its_tasks_and_waits_for_them, test_background_keeps_a_strong_reference_until_done, test_finished_tasks_leave_the_keeper_without_wait, test_wait_raises_every_error_and_waits_for_all
"""

import asyncio


async def prefetch(keys, fetch):
    """Fetch every key at the same time."""
    async with asyncio.TaskGroup() as group:
        tasks = {key: group.create_task(fetch(key)) for key in keys}
    return {key: task.result() for key, task in tasks.items()}


class Background:
    """Starts fire-and-forget tasks."""

    def __init__(self):
        self.tasks = set()

    def start(self, coro):
        """Run coro in a task of its own; return the task (and forget it)."""
        return asyncio.create_task(coro)

    async def wait(self):
        """Wait for every task in self.tasks."""
        await asyncio.gather(*self.tasks)


def deadline(seconds):
    """The time seconds from now on the running loop's clock."""
    return asyncio.get_running_loop().time() + seconds

