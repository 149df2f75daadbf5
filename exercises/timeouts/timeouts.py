"""Exercise timeouts: the first good answer from several mirrors, within a timeout.

Goal: make `first_answer` ask every mirror at once and return the first answer that arrives without
an error; then cancel the other mirrors and wait until they have finished. If every mirror fails,
raise `AllMirrorsFailed` carrying each failure; if `within` seconds pass first, raise
`TimeoutError`, after stopping the mirrors the same way. If the caller is cancelled, stop the
mirrors too and let the cancellation propagate.

Read README.md for the full contract, then run `make check`.
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
    tasks = [asyncio.create_task(mirror()) for mirror in mirrors]
    done, _ = await asyncio.wait(tasks, timeout=within, return_when=asyncio.FIRST_COMPLETED)
    # TODO: the first mirror to finish may have failed: keep waiting for a good answer, and raise
    # AllMirrorsFailed (errors in the order of `mirrors`) only when every mirror has failed.
    if not done:
        raise TimeoutError
    # TODO: the time limit is for the whole call, however many waits it takes (`asyncio.timeout`
    # is made for that).
    # TODO: on every way out (answer, failure, timeout, or your caller cancelling you), cancel the
    # mirrors still running and wait until they have finished, without swallowing a cancellation
    # aimed at you.
    return done.pop().result()
