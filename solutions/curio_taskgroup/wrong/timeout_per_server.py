"""Puts a timeout_after around each ask instead of one around the whole call, and counts it as a failure.

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
            return await curio.timeout_after(within, ask, server)
        except (Exception, curio.TaskTimeout) as exc:
            errors[index] = exc
            return None

    async with curio.TaskGroup(wait=object) as group:
        for index, server in enumerate(servers):
            await group.spawn(attempt, index, server)
    if group.completed is None:
        raise NoReply(errors)
    return group.result
