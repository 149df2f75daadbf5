"""Uses curio.timeout_after for the deadline and lets its TaskTimeout escape instead of returning None.

Caught by: test_no_reply_in_time_returns_none_and_stops_everything, test_returns_none_when_no_server_replies_in_time
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

    async with curio.timeout_after(within), curio.TaskGroup(wait=object) as group:
        for index, server in enumerate(servers):
            await group.spawn(attempt, index, server)
    if group.completed is None:
        raise NoReply(errors)
    return group.result
