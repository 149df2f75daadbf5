"""Catches curio.CancelledError (TaskTimeout's base) to return None: swallows the caller's cancellation too.

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

    async def attempt(index, server):
        try:
            return await ask(server)
        except Exception as exc:
            errors[index] = exc
            return None

    try:
        async with curio.timeout_after(within), curio.TaskGroup(wait=object) as group:
            for index, server in enumerate(servers):
                await group.spawn(attempt, index, server)
    except curio.CancelledError:
        return None
    if group.completed is None:
        raise NoReply(errors)
    return group.result
