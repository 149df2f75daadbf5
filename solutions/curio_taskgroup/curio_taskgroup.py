"""Task groups and timeouts in curio: the reference solution of curio_taskgroup.

``first_reply`` asks every server at once, each in a task of one ``curio.TaskGroup``, and returns
the first successful reply. The group's ``wait=object`` policy ends the wait at the first task that
returns something other than None; leaving the group cancels the other tasks and waits until they
have ended. ``curio.ignore_after`` puts one deadline on the whole call and turns its expiry into
"no reply" (None) instead of an exception.
"""

import curio


class NoReply(Exception):
    """Every server failed: ``errors`` holds their exceptions, in the order of ``servers``."""

    def __init__(self, errors):
        super().__init__(f"all {len(errors)} servers failed")
        self.errors = list(errors)


async def first_reply(servers, ask, *, within: float):
    """Ask every server at once with ``await ask(server)`` and return the first successful reply.

    Returns None if no server has replied ``within`` seconds after the call; raises NoReply if
    every server failed. However it ends, every ask it started has ended before it returns or raises.
    """
    servers = list(servers)
    errors = [None] * len(servers)

    async def attempt(index, server):
        # A failed server is not an answer: turn its exception into None, which wait=object skips.
        # Only Exception: a curio.CancelledError (a BaseException) must end the task, so that the
        # group can cancel it.
        try:
            return await ask(server)
        except Exception as exc:
            errors[index] = exc
            return None

    # ignore_after, not timeout_after: when *this* deadline expires, the block is left quietly and
    # marked expired. A caller's own (earlier) deadline, or its cancellation, passes through.
    # wait=object: leaving the group's block waits for the first task with a non-None result (or
    # for all of them, if none has one), then cancels the rest *and waits for them to end*.
    async with curio.ignore_after(within) as deadline, curio.TaskGroup(wait=object) as group:
        for index, server in enumerate(servers):
            await group.spawn(attempt, index, server)
    if deadline.expired:
        return None
    if group.completed is None:  # every task ended with None: every server failed
        raise NoReply(errors)
    return group.result
