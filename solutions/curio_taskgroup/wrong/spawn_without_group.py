"""Spawns a task per server with curio.spawn and a Queue, returns the first reply, never cancels the rest.

Caught by: test_asks_every_server_at_once_and_returns_the_first_reply, test_callers_cancellation_and_timeout_pass_through, test_failures_before_the_reply_are_not_answers, test_losers_are_cancelled_and_ended_before_it_returns, test_no_reply_in_time_returns_none_and_stops_everything, test_returns_none_when_no_server_replies_in_time
"""

import curio


class NoReply(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} servers failed")
        self.errors = list(errors)


async def first_reply(servers, ask, *, within):
    servers = list(servers)
    replies = curio.Queue()
    errors = [None] * len(servers)

    async def attempt(index, server):
        try:
            await replies.put(("reply", await ask(server)))
        except Exception as exc:
            errors[index] = exc
            await replies.put(("failed", exc))

    for index, server in enumerate(servers):
        await curio.spawn(attempt, index, server)
    async with curio.ignore_after(within):
        for _ in servers:
            kind, value = await replies.get()
            if kind == "reply":
                return value
        raise NoReply(errors)
    return None
