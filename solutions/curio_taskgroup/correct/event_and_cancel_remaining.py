"""A default (wait=all) group whose block waits on an Event, then cancel_remaining(); ignore_after checked.

Each attempt records its outcome; the first reply, or the last failure, sets the Event. The block
then cancels the tasks still running (cancel_remaining waits until they have ended), so leaving it
has nothing left to wait for. The ignore_after scope's .expired says whether time ran out.
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
    errors = [None] * len(servers)
    replies = []
    decided = curio.Event()

    async def attempt(index, server):
        try:
            replies.append(await ask(server))
        except Exception as exc:
            errors[index] = exc
            if all(error is not None for error in errors):
                await decided.set()
        else:
            await decided.set()

    async with curio.ignore_after(within) as deadline, curio.TaskGroup() as group:
        for index, server in enumerate(servers):
            await group.spawn(attempt, index, server)
        await decided.wait()
        await group.cancel_remaining()
    if deadline.expired:
        return None
    if not replies:
        raise NoReply(errors)
    return replies[0]
