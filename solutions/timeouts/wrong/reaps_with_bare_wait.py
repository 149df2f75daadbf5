"""Waits for the cancelled mirrors with a bare asyncio.wait, which a cancellation of its own cuts short.

Caught by: test_cancelled_at_every_await_stops_every_mirror_and_propagates
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
        async with asyncio.timeout(within):
            pending = set(tasks)
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in tasks:  # in mirror order, should two finish at the same instant
                    if task in done and task.exception() is None:
                        return task.result()
        raise AllMirrorsFailed([task.exception() for task in tasks])
    finally:
        for task in tasks:
            task.cancel()
        # Waits for the mirrors... unless we are cancelled meanwhile: asyncio.wait then raises our
        # CancelledError at once and leaves the mirrors running.
        await asyncio.wait(tasks)
