"""Cancels the losers with cancel(blocking=False) and returns at once: they are still cleaning up.

Caught by: test_asks_every_server_at_once_and_returns_the_first_reply, test_callers_cancellation_and_timeout_pass_through, test_failures_before_the_reply_are_not_answers, test_losers_are_cancelled_and_ended_before_it_returns, test_no_reply_in_time_returns_none_and_stops_everything, test_returns_none_when_no_server_replies_in_time
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
        group = curio.TaskGroup()
        tasks = [await group.spawn(ask, server) for server in servers]
        try:
            async for task in group:
                if task.exception is None:
                    return task.result
                errors[tasks.index(task)] = task.exception
            raise NoReply(errors)
        finally:
            for task in tasks:
                await task.cancel(blocking=False)  # asks, but does not wait
    for task in tasks:
        await task.cancel(blocking=False)
    return None
