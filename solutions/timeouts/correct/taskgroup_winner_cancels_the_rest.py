"""TaskGroup: the first mirror to answer cancels its siblings; the group waits for them all.

Each mirror runs in a TaskGroup task that records its failure instead of raising it (a task that
raised would make the group raise an ExceptionGroup). The first good answer is kept and the other
tasks are cancelled; a task that ends cancelled is not an error for a TaskGroup, and leaving the
``async with`` waits for every task to finish. If the caller is cancelled, or the timeout fires,
the group cancels every task, waits for them, and lets the cancellation (or TimeoutError) out.

Not raising a private "found it" exception out of a task is deliberate: on Python 3.11 and 3.12, a
TaskGroup that ends with an error can lose a cancellation of its caller that arrived meanwhile.
"""

import asyncio


class AllMirrorsFailed(Exception):
    """Every mirror failed. ``errors``: the exception of each mirror, in the order of ``mirrors``."""

    def __init__(self, errors):
        super().__init__(f"all {len(errors)} mirrors failed")
        self.errors = list(errors)


async def first_answer(mirrors, *, within):
    errors = [None] * len(mirrors)
    answers = []
    tasks = []

    async def ask(index, mirror):
        try:
            answer = await mirror()
        except Exception as exc:  # a failed mirror is not the end of the race
            errors[index] = exc
            return
        if not answers:  # the first good answer: the others are no longer wanted
            answers.append(answer)
            for task in tasks:
                if task is not asyncio.current_task():
                    task.cancel()

    async with asyncio.timeout(within):
        async with asyncio.TaskGroup() as group:
            for index, mirror in enumerate(mirrors):
                tasks.append(group.create_task(ask(index, mirror)))
    if answers:
        return answers[0]
    raise AllMirrorsFailed(errors)
