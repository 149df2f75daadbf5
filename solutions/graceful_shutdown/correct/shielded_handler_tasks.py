"""Each item runs in a task of its own behind asyncio.shield; stop() cancels every worker at once.

A worker that is cancelled while idle simply ends. A worker cancelled while its item runs is only
interrupted at ``await shield(job)``: the job goes on, and the worker keeps waiting for it until the
deadline stop() set, then cancels it. If stop() is itself cancelled, it cancels the workers a
second time, which cuts their wait short: they cancel their job at once, wait for it to end, and
the CancelledError goes on to stop()'s caller.
"""

import asyncio
import contextlib


class WorkerPool:
    def __init__(self, handler, workers: int) -> None:
        self.handler = handler
        self.workers = workers
        self.queue: asyncio.Queue = asyncio.Queue()
        self.tasks: list[asyncio.Task] = []
        self.deadline: float | None = None  # set by stop(): when the grace period ends
        self.unhandled: list = []

    def start(self) -> None:
        self.tasks = [asyncio.create_task(self.run_worker()) for _ in range(self.workers)]

    def submit(self, item) -> None:
        if self.deadline is not None:
            raise RuntimeError("this pool has been stopped")
        self.queue.put_nowait(item)

    async def run_worker(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            item = await self.queue.get()  # cancelled here when idle: the item stays queued
            job = asyncio.create_task(self.handler(item))
            try:
                await asyncio.shield(job)
            except asyncio.CancelledError:
                # Stopping: the job is still running. Give it what is left of the grace period;
                # a second cancellation (stop() was cancelled) ends the wait early.
                try:
                    await asyncio.wait({job}, timeout=max(0.0, self.deadline - loop.time()))
                finally:
                    if not job.done():
                        job.cancel()
                        self.unhandled.append(item)
                    # Never leave the job behind, even if cancelled once more while waiting.
                    while not job.done():
                        with contextlib.suppress(asyncio.CancelledError):
                            await asyncio.wait({job})
                raise

    async def stop(self, grace: float) -> list:
        self.deadline = asyncio.get_running_loop().time() + grace
        for task in self.tasks:
            task.cancel()
        try:
            if self.tasks:
                await asyncio.wait(self.tasks)
        except asyncio.CancelledError:
            for task in self.tasks:
                task.cancel()  # the grace period is over: workers cancel their job now
            while not all(task.done() for task in self.tasks):
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait(self.tasks)
            raise
        while not self.queue.empty():
            self.unhandled.append(self.queue.get_nowait())
        return self.unhandled
