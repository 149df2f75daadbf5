"""Exercise curio_taskgroup: task groups and timeouts in curio.

Goal: make `first_reply` ask every server at once, each in a task of one `curio.TaskGroup`, and
return the first successful reply; a failed server is not an answer. Once a server has replied,
cancel the others and wait until they have ended. Put one deadline on the whole call: if no server
has replied `within` seconds after the call, return None; if every server failed, raise NoReply.
Whichever way it ends, no task it started may still be running when it returns or raises.

This is curio, not asyncio: run it with `curio.run(...)`, and await only curio's own functions.
Read README.md for the full contract, then run `make check`.
"""

import curio  # noqa: F401  (you will need it)


class NoReply(Exception):
    """Every server failed: ``errors`` holds their exceptions, in the order of ``servers``."""

    def __init__(self, errors):
        super().__init__(f"all {len(errors)} servers failed")
        self.errors = list(errors)


async def first_reply(servers, ask, *, within: float):
    """Ask every server at once with ``await ask(server)`` and return the first successful reply.

    Returns None if no server has replied ``within`` seconds after the call; raises NoReply if
    every server failed.
    """
    errors = []
    # TODO: this asks one server after the other, so a server that never answers blocks the rest,
    # and nothing limits the time it takes. Ask them all at once instead: spawn one task per
    # server into a curio.TaskGroup, take the first reply (a failure is not one), and make sure
    # the other tasks are cancelled and have ended before you return.
    # TODO: one deadline for the whole call (curio.ignore_after or curio.timeout_after); when it
    # expires, return None.
    for server in servers:
        try:
            return await ask(server)
        except Exception as exc:
            errors.append(exc)
    raise NoReply(errors)
