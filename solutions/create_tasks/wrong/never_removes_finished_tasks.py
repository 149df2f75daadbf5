"""Background keeps every task it started forever: finished tasks are never removed (a leak).

Caught by: test_background_keeps_its_tasks_and_waits_for_them, test_finished_tasks_leave_the_keeper_without_wait
"""

import asyncio


async def prefetch(keys, fetch):
    """Fetch every key at the same time."""
    async with asyncio.TaskGroup() as group:
        tasks = {key: group.create_task(fetch(key)) for key in keys}
    return {key: task.result() for key, task in tasks.items()}


class Background:
    """Keeps every task it started."""

    def __init__(self):
        self.tasks = set()

    def start(self, coro):
        """Run coro in a task of its own; return the task."""
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        return task

    async def wait(self):
        """Wait for every task started so far; raise their errors."""
        results = await asyncio.gather(*self.tasks, return_exceptions=True)
        errors = [r for r in results if isinstance(r, Exception)]
        if errors:
            raise ExceptionGroup("background tasks failed", errors)


def deadline(seconds):
    """The time seconds from now on the running loop's clock."""
    return asyncio.get_running_loop().time() + seconds

