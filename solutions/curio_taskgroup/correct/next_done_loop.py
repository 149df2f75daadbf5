"""Takes finished tasks one by one (async for over the group), under timeout_after + except TaskTimeout.

The first task that returned gives the reply; a failed one is noted by its index. Before leaving the
block, cancel_remaining() cancels the servers still running and waits until they have ended. The
deadline is a timeout_after whose TaskTimeout is caught right around it: a caller's own deadline
arrives as TimeoutCancellationError instead, and a cancellation as TaskCancelled, and both pass.
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
    try:
        async with curio.timeout_after(within), curio.TaskGroup() as group:
            index_of = {}
            for index, server in enumerate(servers):
                task = await group.spawn(ask, server)
                index_of[task.id] = index
            async for task in group:
                if task.exception is None:
                    await group.cancel_remaining()
                    return task.result
                errors[index_of[task.id]] = task.exception
    except curio.TaskTimeout:
        return None
    raise NoReply(errors)
