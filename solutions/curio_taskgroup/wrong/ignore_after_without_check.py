"""Uses ignore_after but reads group.result after the block without checking whether time ran out.

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

    async with curio.ignore_after(within), curio.TaskGroup(wait=object) as group:
        for index, server in enumerate(servers):
            await group.spawn(attempt, index, server)
    if all(error is not None for error in errors):
        raise NoReply(errors)
    return group.result  # raises RuntimeError when nobody replied in time
