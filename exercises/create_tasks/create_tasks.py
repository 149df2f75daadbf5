"""Tasks start now: create_task, references and get_running_loop.

Goal: start work as tasks, keep hold of them until they finish, and reach the event loop the modern
way. ``prefetch(keys, fetch)`` calls ``fetch(key)`` for every key, all at the same time, and returns
``{key: value}`` in the order of ``keys``. ``Background`` runs fire-and-forget jobs: ``start(coro)``
runs a coroutine in a task and keeps it in ``tasks`` until it is done, ``wait()`` waits for them all
and raises their errors. ``deadline(seconds)`` is the time ``seconds`` from now on the running
loop's clock. The README has the exact contract; run ``make check``.

This code imports and runs, but prefetch fetches one key after another, Background loses track of
its tasks (and of their errors), and the loop is reached through a deprecated call.
"""

import asyncio


async def prefetch(keys, fetch):
    """Fetch every key at the same time; return ``{key: value}`` in the order of ``keys``."""
    values = {}
    # TODO: each `await` here waits for one fetch to finish before the next one starts. Start a
    #       task for every key first, then wait for them all.
    for key in keys:
        values[key] = await fetch(key)
    return values


class Background:
    """Keeps fire-and-forget tasks alive until they finish, and collects their errors."""

    def __init__(self):
        self.tasks = set()  # the tasks started and not finished yet

    def start(self, coro):
        """Run ``coro`` in a task of its own; return the task."""
        # TODO: nothing keeps a reference to this task but the caller, who may drop it, and the
        #       event loop only holds a weak one. Keep it in self.tasks until it is done (and then
        #       remove it), and keep its error for wait(). Reach the loop the modern way.
        return asyncio.get_event_loop().create_task(coro)

    async def wait(self):
        """Wait until every task started so far has finished; raise their errors, if any."""
        # TODO: wait for the tasks, then raise an ExceptionGroup of the errors they raised.
        await asyncio.sleep(0)


def deadline(seconds):
    """The time ``seconds`` from now on the running event loop's clock."""
    # TODO: get_event_loop() is the old way to find the loop; use the one for running code.
    return asyncio.get_event_loop().time() + seconds
