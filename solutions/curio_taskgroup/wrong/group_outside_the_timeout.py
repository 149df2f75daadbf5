"""Opens the TaskGroup outside the ignore_after block: a caller's expired deadline cuts its cleanup short.

When the caller's own deadline expires, it leaves the inner ignore_after as TimeoutCancellationError;
curio then delivers that expired deadline again at the next wait, which is the group's exit waiting
for the cancelled servers: first_reply raises while they are still cleaning up.

Caught by: test_callers_cancellation_and_timeout_pass_through
"""

import curio


class NoReply(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} servers failed")
        self.errors = list(errors)


async def first_reply(servers, ask, *, within):
    servers = list(servers)
    errors = [None] * len(servers)
    reply = None
    async with curio.TaskGroup() as group:
        index_of = {}
        for index, server in enumerate(servers):
            task = await group.spawn(ask, server)
            index_of[task.id] = index
        async with curio.ignore_after(within) as deadline:
            async for task in group:
                if task.exception is None:
                    reply = task.result
                    break
                errors[index_of[task.id]] = task.exception
            else:
                raise NoReply(errors)
        await group.cancel_remaining()
    return None if deadline.expired else reply
