"""The first good answer from several mirrors, within a deadline: the reference solution of timeouts.

``first_answer`` asks every mirror at once and returns the first answer that arrives without an
error. The others are then cancelled, and waited for until they have finished, before it returns.
If every mirror fails, it raises ``AllMirrorsFailed`` carrying each failure; if the deadline passes
first, ``TimeoutError``. If its caller is cancelled, the mirrors are stopped the same way and the
cancellation propagates.
"""

import asyncio


class AllMirrorsFailed(Exception):
    """Every mirror failed. ``errors``: the exception of each mirror, in the order of ``mirrors``."""

    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    """Return the first answer a mirror gives without an error, within ``within`` seconds of the call.

    ``mirrors`` is a non-empty list of async callables taking no argument.
    """
    tasks = [asyncio.ensure_future(mirror()) for mirror in mirrors]
    try:
        # One timeout around the whole race: its deadline is fixed once, here. A timeout passed to
        # each `asyncio.wait` below would start again after every failure.
        async with asyncio.timeout(within):
            pending = set(tasks)
            while pending:
                # asyncio.wait only waits: it neither raises a mirror's error nor cancels anything.
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in tasks:  # in mirror order, should two finish at the same instant
                    if task in done and task.exception() is None:
                        return task.result()
        # The loop ended: every mirror failed. Reading each exception also marks it retrieved.
        raise AllMirrorsFailed([task.exception() for task in tasks])
    finally:
        # Runs on every way out: an answer, all failed, the deadline (the timeout's CancelledError
        # is already a TimeoutError here), and our caller's cancellation. Stop the mirrors still
        # running and wait until they have finished: cancel() only asks, and a mirror's cleanup
        # may take time. gather waits for every task even if we are cancelled again meanwhile
        # (it then raises CancelledError only once they are all done); return_exceptions keeps
        # their CancelledErrors and errors from being raised here.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
