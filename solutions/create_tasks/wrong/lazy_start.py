"""Background.start only stores the coroutine and wait() runs them all: nothing starts until wait.

Caught by: test_background_keeps_its_tasks_and_waits_for_them, test_background_keeps_a_strong_reference_until_done, test_finished_tasks_leave_the_keeper_without_wait
"""

import asyncio


async def prefetch(keys, fetch):
    """Fetch every key at the same time."""
    async with asyncio.TaskGroup() as group:
        tasks = {key: group.create_task(fetch(key)) for key in keys}
    return {key: task.result() for key, task in tasks.items()}


class Background:
    """Collects jobs and runs them when asked to wait."""

    def __init__(self):
        self.tasks = []

    def start(self, coro):
        """Remember coro; it runs in wait()."""
        self.tasks.append(coro)

    async def wait(self):
        """Run every job started so far, at the same time; raise their errors."""
        jobs, self.tasks = self.tasks, []
        results = await asyncio.gather(*jobs, return_exceptions=True)
        errors = [r for r in results if isinstance(r, Exception)]
        if errors:
            raise ExceptionGroup("background tasks failed", errors)


def deadline(seconds):
    """The time seconds from now on the running loop's clock."""
    return asyncio.get_running_loop().time() + seconds
