"""Each attempt retries when interrupted, curio.CancelledError included: a cancelled task never ends.

curio delivers a cancellation once; a task that catches it and asks again is no longer cancellable,
so the group (or the timeout) waits for it forever.

Caught by: test_a_failed_server_is_not_an_answer, test_asks_every_server_at_once_and_returns_the_first_reply, test_callers_cancellation_and_timeout_pass_through, test_every_server_is_asked_once_and_all_at_once, test_failures_before_the_reply_are_not_answers, test_losers_are_cancelled_and_ended_before_it_returns, test_no_reply_in_time_returns_none_and_stops_everything, test_returns_none_when_no_server_replies_in_time
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
        for _ in range(3):
            try:
                return await ask(server)
            except curio.CancelledError:
                continue  # "interrupted: ask again"
            except Exception as exc:
                errors[index] = exc
                return None
        return None

    async with curio.ignore_after(within) as deadline, curio.TaskGroup(wait=object) as group:
        for index, server in enumerate(servers):
            await group.spawn(attempt, index, server)
    if deadline.expired:
        return None
    if group.completed is None:
        raise NoReply(errors)
    return group.result
