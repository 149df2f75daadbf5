"""TaskGroup(wait=any) on the bare asks: the first task to end may be a failure, and g.result raises it.

Caught by: test_a_failed_server_is_not_an_answer, test_failures_before_the_reply_are_not_answers, test_no_reply_in_time_returns_none_and_stops_everything
"""

import curio


class NoReply(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} servers failed")
        self.errors = list(errors)


async def first_reply(servers, ask, *, within):
    async with curio.ignore_after(within) as deadline, curio.TaskGroup(wait=any) as group:
        for server in servers:
            await group.spawn(ask, server)
    if deadline.expired:
        return None
    if group.exception is not None and all(t.exception for t in group.tasks):
        raise NoReply([t.exception for t in group.tasks])
    return group.result
