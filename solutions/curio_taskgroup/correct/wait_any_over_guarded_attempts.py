"""wait=any, made safe: a failed attempt never ends the group unless it is the last one to fail.

With wait=any the group stops at the first task to end, so an attempt whose server failed records
the error and, unless every server has now failed, waits until it is cancelled. The first task to
end is then either a reply or the last failure. The timeout is the functional ignore_after, which
returns None when the time is up.
"""

import curio


class NoReply(Exception):
    """Every server failed: ``errors`` holds their exceptions, in the order of ``servers``."""

    def __init__(self, errors):
        super().__init__(f"all {len(errors)} servers failed")
        self.errors = list(errors)


async def first_reply(servers, ask, *, within):
    """Ask every server at once; the first reply, None after `within` s, NoReply if all failed."""
    return await curio.ignore_after(within, _race, list(servers), ask)


async def _race(servers, ask):
    errors = [None] * len(servers)
    never = curio.Event()

    async def attempt(index, server):
        try:
            return await ask(server)
        except Exception as exc:
            errors[index] = exc
            if all(error is not None for error in errors):
                raise NoReply(errors) from None
            await never.wait()  # not an answer: stay out of the race until cancelled
            raise AssertionError("unreachable") from None

    async with curio.TaskGroup(wait=any) as group:
        for index, server in enumerate(servers):
            await group.spawn(attempt, index, server)
    return group.result  # the reply, or NoReply re-raised from the last failed attempt
