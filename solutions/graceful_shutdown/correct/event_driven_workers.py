"""Workers wait for "an item or the stop event", whichever comes first: no idle worker is cancelled.

The queue is a deque plus an Event ("items available"); a worker that sees the stop event set takes
nothing more. stop() sets the event, waits for the workers with ``asyncio.wait(timeout=grace)``,
then cancels the rest (or all of them, if stop() itself is cancelled) and waits until they ended.
"""

import asyncio
import collections


class WorkerPool:
    def __init__(self, handler, workers: int) -> None:
        self._handler = handler
        self._count = workers
        self._items: collections.deque = collections.deque()
        self._available = asyncio.Event()
        self._stopping = asyncio.Event()
        self._workers: set[asyncio.Task] = set()
        self._cut_short: list = []

    def start(self) -> None:
        self._workers = {asyncio.create_task(self._work()) for _ in range(self._count)}

    def submit(self, item) -> None:
        if self._stopping.is_set():
            raise RuntimeError("the pool is shutting down")
        self._items.append(item)
        self._available.set()

    async def _next_item(self):
        """The next item, or None once stopping (an item is only taken while not stopping)."""
        while not self._stopping.is_set():
            if self._items:
                return self._items.popleft()
            self._available.clear()
            waiters = {asyncio.create_task(self._available.wait()),
                       asyncio.create_task(self._stopping.wait())}
            try:
                await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters:
                    waiter.cancel()
                await asyncio.wait(waiters)
        return None

    async def _work(self) -> None:
        while (item := await self._next_item()) is not None:
            try:
                await self._handler(item)
            except asyncio.CancelledError:
                self._cut_short.append(item)
                raise

    async def stop(self, grace: float) -> list:
        self._stopping.set()
        try:
            if self._workers:
                _, late = await asyncio.wait(self._workers, timeout=grace)
                for worker in late:
                    worker.cancel()
                if late:
                    await asyncio.wait(late)
        except asyncio.CancelledError:
            for worker in self._workers:
                worker.cancel()
            await asyncio.shield(asyncio.wait(self._workers))
            raise
        return self._cut_short + list(self._items)
