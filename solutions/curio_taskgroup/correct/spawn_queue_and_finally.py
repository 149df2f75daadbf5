"""No TaskGroup: tasks spawned by hand report to a curio.Queue; a finally cancels and joins them all.

The structure a TaskGroup gives, written out: every task is cancelled in a finally (a blocking
cancel also waits until the task has ended), on a reply, on NoReply, on the timeout and on the
caller's cancellation alike. The finally is inside the ignore_after block on purpose: once the
block is left, a caller's deadline that has already passed is delivered again at the next wait,
and would cut the cleanup short.
"""

import curio


class NoReply(Exception):
    """Every server failed: ``errors`` holds their exceptions, in the order of ``servers``."""

    def __init__(self, errors):
        super().__init__(f"all {len(errors)} servers failed")
        self.errors = list(errors)


async def first_reply(servers, ask, *, within):
    """Ask every server at once; the first reply, None after `within` s, NoReply if all failed."""
    servers = list(servers)
    answers = curio.Queue()

    async def attempt(index, server):
        try:
            reply = await ask(server)
        except Exception as exc:
            await answers.put((index, False, exc))
        else:
            await answers.put((index, True, reply))

    errors = [None] * len(servers)
    async with curio.ignore_after(within):
        tasks = []
        try:
            for index, server in enumerate(servers):
                tasks.append(await curio.spawn(attempt, index, server))
            for _ in servers:
                index, ok, value = await answers.get()
                if ok:
                    return value
                errors[index] = value
            raise NoReply(errors)
        finally:
            for task in tasks:
                await task.cancel()  # blocking: returns once the task has ended
    return None  # only reached when the time ran out
