"""Returns None whenever no reply came, also when every server failed (should raise NoReply).

Caught by: test_every_server_failed_raises_no_reply_in_server_order
"""

import curio


class NoReply(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} servers failed")
        self.errors = list(errors)


async def first_reply(servers, ask, *, within):
    async def attempt(server):
        try:
            return await ask(server)
        except Exception:
            return None

    async with curio.ignore_after(within), curio.TaskGroup(wait=object) as group:
        for server in servers:
            await group.spawn(attempt, server)
    return group.completed.result if group.completed else None
