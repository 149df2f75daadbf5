"""Returns the reply from inside the group block without cancel_remaining: the group waits for the rest.

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
    async with curio.ignore_after(within):
        async with curio.TaskGroup() as group:
            index_of = {}
            for index, server in enumerate(servers):
                task = await group.spawn(ask, server)
                index_of[task.id] = index
            async for task in group:
                if task.exception is None:
                    return task.result  # leaving the block joins the group: wait=all
                errors[index_of[task.id]] = task.exception
        raise NoReply(errors)
    return None
