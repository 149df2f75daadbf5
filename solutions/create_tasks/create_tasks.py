"""Tasks start now: the reference solution.

Goal: start work as tasks, keep hold of them until they finish, and reach the event loop the modern
way. ``prefetch`` runs one ``fetch(key)`` per key, all at once, and returns the values by key;
``Background`` starts fire-and-forget jobs, keeps a strong reference to each until it finishes and
never loses an error; ``deadline`` turns a delay into a time on the running loop's clock.
"""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Hashable, Iterable
from typing import Any


async def prefetch(keys: Iterable[Hashable], fetch: Callable[[Any], Awaitable[Any]]) -> dict:
    """Fetch every key at the same time; return ``{key: value}`` in the order of ``keys``."""
    # Each create_task schedules its fetch to start at the loop's next turn: all of them are
    # started before the first one can finish. The TaskGroup waits for them all, and if one
    # fetch raises it cancels the others and waits for them too, so none is left running.
    async with asyncio.TaskGroup() as group:
        tasks = {key: group.create_task(fetch(key)) for key in keys}
    # The dict was built in the order of `keys`, whatever order the fetches finished in.
    return {key: task.result() for key, task in tasks.items()}


class Background:
    """Keeps fire-and-forget tasks alive until they finish, and collects their errors."""

    def __init__(self) -> None:
        # The event loop holds only weak references to tasks: this set is what keeps a running
        # task from being garbage-collected halfway through its work.
        self.tasks: set[asyncio.Task] = set()
        self._errors: list[Exception] = []

    def start(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task:
        """Run ``coro`` in a task of its own, starting at the loop's next turn; return the task."""
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        # Runs as soon as the task is done, whether or not anybody is waiting for it.
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task) -> None:
        # Forget the finished task (otherwise the set grows forever), and retrieve its exception
        # now: a task that fails while nobody waits would otherwise lose its error, and asyncio
        # would log "Task exception was never retrieved" when the task is collected.
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self._errors.append(task.exception())

    async def wait(self) -> None:
        """Wait until every task started so far has finished; raise their errors, if any."""
        # asyncio.wait never raises a task's error and never cancels anything: it just waits.
        # Loop in case a task started another one meanwhile.
        while self.tasks:
            await asyncio.wait(set(self.tasks))
        if self._errors:
            errors, self._errors = self._errors, []
            raise ExceptionGroup("background tasks failed", errors)


def deadline(seconds: float) -> float:
    """The time ``seconds`` from now on the running event loop's clock (for asyncio.timeout_at)."""
    # get_running_loop() returns the loop running this code, and raises RuntimeError when no loop
    # runs. get_event_loop() would return the same loop here, but outside a running loop it is
    # deprecated and, depending on the Python version, makes a new loop or raises.
    return asyncio.get_running_loop().time() + seconds
