"""Done-callbacks settle one future; a hand-written cancel-and-wait loop stops the mirrors.

Every mirror task gets a done-callback: the first success sets the result of a future of ours, the
last failure sets AllMirrorsFailed on it. ``asyncio.timeout_at`` with a deadline computed once
bounds the wait. On the way out, the mirrors are cancelled and waited for with ``asyncio.wait`` in
a loop that remembers a cancellation of our own and re-raises it once they have all finished.
"""

import asyncio


class AllMirrorsFailed(Exception):
    """Every mirror failed. ``errors``: the exception of each mirror, in the order of ``mirrors``."""

    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    outcome = loop.create_future()
    tasks = [asyncio.ensure_future(mirror()) for mirror in mirrors]

    def settle(task):
        if outcome.done() or task.cancelled():
            return
        if task.exception() is None:
            outcome.set_result(task.result())
        elif all(t.done() for t in tasks):
            outcome.set_exception(AllMirrorsFailed([t.exception() for t in tasks]))

    for task in tasks:
        task.add_done_callback(settle)
    try:
        async with asyncio.timeout_at(deadline):
            return await outcome
    finally:
        outcome.cancel()  # if nobody settled it, nobody will
        await _stop(tasks)


async def _stop(tasks):
    for task in tasks:
        task.cancel()
    ours = None
    while not all(task.done() for task in tasks):
        try:
            await asyncio.wait(tasks)
        except asyncio.CancelledError as exc:
            ours = exc  # ours: asyncio.wait never raises the tasks' outcomes
    for task in tasks:
        if not task.cancelled():
            task.exception()  # retrieved: a mirror that failed while being stopped
    if ours is not None:
        raise ours
