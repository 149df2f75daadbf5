"""Uses the default TaskGroup (wait=all) and picks a reply from the results: waits for every server.

Caught by: test_a_failed_server_is_not_an_answer, test_asks_every_server_at_once_and_returns_the_first_reply, test_every_server_is_asked_once_and_all_at_once, test_failures_before_the_reply_are_not_answers, test_losers_are_cancelled_and_ended_before_it_returns
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

    async with curio.ignore_after(within) as deadline, curio.TaskGroup() as group:
        for index, server in enumerate(servers):
            await group.spawn(attempt, index, server)
    if deadline.expired:
        return None
    replies = [reply for reply in group.results if reply is not None]
    if not replies:
        raise NoReply(errors)
    return replies[0]
