"""stop() has no finally: cancelled during the grace period, it propagates with the workers still running.

Caught by: test_cancel_stop_at_every_await_leaves_nothing_running, test_cancelled_stop_cuts_the_grace_short
"""

import asyncio


class WorkerPool:
    """A fixed number of workers handling submitted items, with a graceful ``stop``."""

    def __init__(self, handler, workers: int) -> None:
        self._handler = handler
        self._size = workers
        self._queue: asyncio.Queue = asyncio.Queue()
        self._workers: list[asyncio.Task] = []
        self._busy: set[asyncio.Task] = set()  # workers inside handler(item) right now
        self._interrupted: list = []  # items whose handler was cancelled
        self._stopping = False

    def start(self) -> None:
        """Start the worker tasks."""
        self._workers = [asyncio.create_task(self._work()) for _ in range(self._size)]

    def submit(self, item) -> None:
        """Queue ``item`` for a worker; refused once ``stop`` has been called."""
        if self._stopping:
            raise RuntimeError("the pool is stopping: it takes no new items")
        self._queue.put_nowait(item)

    async def _work(self) -> None:
        me = asyncio.current_task()
        while not self._stopping:
            item = await self._queue.get()
            self._busy.add(me)
            try:
                await self._handler(item)
            except asyncio.CancelledError:
                self._interrupted.append(item)
                raise
            finally:
                self._busy.discard(me)

    async def stop(self, grace: float) -> list:
        """Stop: finish the items in hand within ``grace`` seconds; return the unhandled items."""
        self._stopping = True  # from now on submit() refuses and no worker takes another item
        for worker in self._workers:
            if worker not in self._busy:
                worker.cancel()
        if self._workers:
            await asyncio.wait(self._workers, timeout=grace)
        for worker in self._workers:
            worker.cancel()
        await _wait_to_the_end(self._workers)
        leftovers = self._interrupted + _drain(self._queue)
        self._interrupted = []
        return leftovers


async def _wait_to_the_end(tasks: list[asyncio.Task]) -> None:
    """Wait until every task is done; a cancellation of ours is re-raised only after that."""
    cancelled = False
    pending = [t for t in tasks if not t.done()]
    while pending:
        try:
            await asyncio.wait(pending)
        except asyncio.CancelledError:
            cancelled = True
        pending = [t for t in pending if not t.done()]
    if cancelled:
        raise asyncio.CancelledError


def _drain(queue: asyncio.Queue) -> list:
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items
