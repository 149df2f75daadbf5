"""Waits for the workers with gather inside asyncio.timeout(grace): the timeout does the cancelling.

Idle workers are cancelled at once (they hold nothing). The busy ones are gathered under
``asyncio.timeout(grace)``: when the grace period ends, the timeout cancels the gather, which cancels
the workers and only completes once every one of them has ended, so their cleanup is waited for. A
cancellation of stop() itself takes the same road: gather cancels the workers, waits for them, and
the CancelledError propagates.
"""

import asyncio
import contextlib


class WorkerPool:
    def __init__(self, handler, workers: int) -> None:
        self._handler = handler
        self._size = workers
        self._queue: asyncio.Queue = asyncio.Queue()
        self._workers: list[asyncio.Task] = []
        self._in_hand: dict[asyncio.Task, object] = {}
        self._unhandled: list = []
        self._closed = False

    def start(self) -> None:
        for _ in range(self._size):
            self._workers.append(asyncio.create_task(self._worker()))

    def submit(self, item) -> None:
        if self._closed:
            raise RuntimeError("submit() after stop()")
        self._queue.put_nowait(item)

    async def _worker(self) -> None:
        me = asyncio.current_task()
        while not self._closed:
            item = await self._queue.get()
            self._in_hand[me] = item
            try:
                await self._handler(item)
            except asyncio.CancelledError:
                self._unhandled.append(item)
                raise
            finally:
                del self._in_hand[me]

    async def stop(self, grace: float) -> list:
        self._closed = True
        for worker in self._workers:
            if worker not in self._in_hand:
                worker.cancel()
        # return_exceptions: a cancelled worker is a result here, not an error of ours.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace):
                await asyncio.gather(*self._workers, return_exceptions=True)
        while not self._queue.empty():
            self._unhandled.append(self._queue.get_nowait())
        return self._unhandled
