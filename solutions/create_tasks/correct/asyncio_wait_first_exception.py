"""prefetch uses asyncio.wait(FIRST_EXCEPTION) and cancels the stragglers; Background is a list
pruned by a done callback, and wait() sleeps on an Event set when the last task ends.
"""

import asyncio


async def prefetch(keys, fetch):
    """Fetch every key at the same time; values by key, in the order of keys."""
    keys = list(keys)
    if not keys:
        return {}  # asyncio.wait refuses an empty set
    tasks = [asyncio.create_task(fetch(key)) for key in keys]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)
    # Look at every task's exception (which marks it retrieved), then raise the first one.
    errors = [task.exception() for task in tasks if not task.cancelled()]
    for error in errors:
        if error is not None:
            raise error
    return {key: task.result() for key, task in zip(keys, tasks, strict=True)}


class Background:
    """Keeps fire-and-forget tasks alive until they finish, and collects their errors."""

    def __init__(self):
        self.tasks = []
        self._errors = []
        self._idle = asyncio.Event()
        self._idle.set()

    def start(self, coro):
        """Run coro in a task of its own; return the task."""
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.append(task)
        self._idle.clear()
        task.add_done_callback(self._done)
        return task

    def _done(self, task):
        self.tasks.remove(task)
        if not task.cancelled() and task.exception() is not None:
            self._errors.append(task.exception())
        if not self.tasks:
            self._idle.set()

    async def wait(self):
        """Wait until no task is running, then raise the errors collected since the last wait."""
        await self._idle.wait()
        if self._errors:
            errors = self._errors[:]
            self._errors.clear()
            raise ExceptionGroup("background jobs failed", errors)


def deadline(seconds):
    """The time seconds from now on the running loop's clock."""
    return asyncio.get_running_loop().time() + seconds
