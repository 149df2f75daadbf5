"""Asks the servers one after the other (under one ignore_after): a silent server blocks the rest.

Caught by: test_a_failed_server_is_not_an_answer, test_asks_every_server_at_once_and_returns_the_first_reply, test_callers_cancellation_and_timeout_pass_through, test_every_server_failed_raises_no_reply_in_server_order, test_every_server_is_asked_once_and_all_at_once, test_failures_before_the_reply_are_not_answers, test_losers_are_cancelled_and_ended_before_it_returns
"""

import curio


class NoReply(Exception):
    def __init__(self, errors):
        super().__init__(f"all {len(errors)} servers failed")
        self.errors = list(errors)


async def first_reply(servers, ask, *, within):
    errors = []
    async with curio.ignore_after(within):
        for server in servers:
            try:
                return await ask(server)
            except Exception as exc:
                errors.append(exc)
        raise NoReply(errors)
    return None
