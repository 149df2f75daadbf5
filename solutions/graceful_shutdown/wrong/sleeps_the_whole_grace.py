"""stop() sleeps for the whole grace period, then cancels: it returns late when the items finish early.

Caught by: test_stop_finishes_items_in_hand_and_returns_the_rest, test_stop_returns_the_moment_the_last_item_in_hand_finishes, test_item_submitted_just_before_stop_is_returned_not_lost, test_submit_after_stop_raises_and_stop_without_items_is_immediate
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
        try:
            if self._workers:
                await asyncio.sleep(grace)  # give them the grace period, then cancel
        finally:
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
