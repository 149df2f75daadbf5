"""Shutting down gracefully: the reference solution of graceful_shutdown.

``WorkerPool`` runs ``handler(item)`` for submitted items on a fixed number of worker tasks.
``stop(grace)`` takes no new item, lets the items in hand finish for up to ``grace`` seconds,
cancels whatever is still running then, and returns every item that was not handled to its end.
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
            # An idle worker is cancelled here by stop(): Queue.get() gives up cleanly and the
            # item it may just have been woken for stays in the queue, so nothing is lost.
            item = await self._queue.get()
            self._busy.add(me)
            try:
                await self._handler(item)
            except asyncio.CancelledError:
                # Cut short by the end of the grace period: not handled, so it must be reported.
                self._interrupted.append(item)
                raise
            finally:
                self._busy.discard(me)

    async def stop(self, grace: float) -> list:
        """Stop: finish the items in hand within ``grace`` seconds; return the unhandled items."""
        self._stopping = True  # from now on submit() refuses and no worker takes another item
        # Idle workers hold nothing: stop them now, or stop() would wait out the whole grace
        # period for workers that are only waiting for an item that will never come.
        for worker in self._workers:
            if worker not in self._busy:
                worker.cancel()
        try:
            if self._workers:
                # Waits without cancelling anything: the items in hand get their grace period,
                # and we come back the instant the last one finishes.
                await asyncio.wait(self._workers, timeout=grace)
        finally:
            # Grace over, or our caller cancelled us: cancel what is left, and wait until every
            # worker has really ended (a handler may clean up when cancelled) even if we are
            # cancelled again meanwhile; then a cancellation of ours propagates from here.
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
