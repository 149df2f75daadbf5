"""Collects the errors in the order the servers failed, not in the order of servers.

Caught by: test_every_server_failed_raises_no_reply_in_server_order
"""

import curio


class NoReply(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} servers failed")
        self.errors = list(errors)


async def first_reply(servers, ask, *, within):
    errors = []

    async def attempt(server):
        try:
            return await ask(server)
        except Exception as exc:
            errors.append(exc)
            return None

    async with curio.ignore_after(within) as deadline, curio.TaskGroup(wait=object) as group:
        for server in servers:
            await group.spawn(attempt, server)
    if deadline.expired:
        return None
    if group.completed is None:
        raise NoReply(errors)
    return group.result
