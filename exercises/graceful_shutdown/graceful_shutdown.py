"""Exercise graceful_shutdown: shutting down a worker pool gracefully.

Goal: make `WorkerPool.stop(grace)` stop the pool the way a server should shut down: take no new
item, let the items already in hand finish, but for at most `grace` seconds, then cancel whatever is
still running, and return every item that was not handled to its end, so that none is lost
silently. If `stop()` itself is cancelled, cut the grace period short but still leave nothing
running.

Read README.md for the full contract, then run `make check`.
"""

import asyncio


class WorkerPool:
    """Runs ``await handler(item)`` for each submitted item on ``workers`` worker tasks."""

    def __init__(self, handler, workers: int) -> None:
        self._handler = handler
        self._size = workers
        self._queue: asyncio.Queue = asyncio.Queue()
        self._workers: list[asyncio.Task] = []

    def start(self) -> None:
        """Start the worker tasks."""
        self._workers = [asyncio.create_task(self._work()) for _ in range(self._size)]

    def submit(self, item) -> None:
        """Queue ``item`` for a worker."""
        # TODO: once stop() has been called, refuse new items with RuntimeError.
        self._queue.put_nowait(item)

    async def _work(self) -> None:
        while True:
            item = await self._queue.get()
            # TODO: once stopping, a worker must not take another item; and an item whose
            # handler gets cancelled was not handled: stop() has to report it.
            await self._handler(item)

    async def stop(self, grace: float) -> list:
        """Stop the pool; return the items that were not handled to their end."""
        # TODO: this cancels the items in hand at once. Let them finish for up to `grace`
        # seconds (but return as soon as they have), then cancel what is left. Idle workers
        # hold nothing. If stop() itself is cancelled, cancel everything at once, wait until
        # the workers have ended, and let the cancellation propagate.
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        left = []
        while not self._queue.empty():
            left.append(self._queue.get_nowait())
        return left
