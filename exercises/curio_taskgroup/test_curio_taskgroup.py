"""Public tests for curio_taskgroup: run them with `make check`.

These tests are plain `def` functions: each one starts its own curio kernel with `curio.run(...)`
(curio is not asyncio, so there is no `async def` test here). Your code talks to `FakeServers`, a
test double: no server answers before *every* server has been asked, a "silent" server never
answers at all (it only ends when it is cancelled), and each one logs what happened to it.

There is no virtual clock in curio, so the tests count instead of timing: after a server has
answered, a correct `first_reply` ends within a few turns of the curio kernel. If it is still
running after a thousand turns, it is waiting for something that will never happen: the test then
lets every server answer (so that your code ends) and fails with an explanation.
"""

from types import SimpleNamespace

import curio
import pytest

pytestmark = pytest.mark.exercise("curio_taskgroup")

PATIENCE = 1000  # turns of the curio kernel
LONG = 60.0  # seconds: a timeout that never expires during these tests
SHORT = 0.2  # seconds: a timeout that must expire (every server is silent then)


class FakeServers:
    """Servers that answer by plan: {name: ("reply", value) | ("fail", exc) | ("silent",)}."""

    def __init__(self, plan):
        self.plan = plan
        self.names = list(plan)
        self.asked = []  # in the order they were asked
        self.cancelled = []  # saw a curio.CancelledError
        self.ended = []  # their ask has ended, cleanup included
        self.in_flight = 0
        self.peak = 0  # the most asks in flight at once
        self.all_asked = curio.Event()
        self.failures = [name for name, b in plan.items() if b[0] == "fail"]
        self.failures_done = curio.Event()  # replies come only after every failure
        self.release = curio.Event()  # set by the test only if first_reply is stuck

    async def ask(self, server):
        self.asked.append(server)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if len(set(self.asked)) == len(self.names):
                await self.all_asked.set()
            await self.all_asked.wait()  # nobody answers before everyone has been asked
            kind, *args = self.plan[server]
            if kind == "reply":
                if self.failures:
                    await self.failures_done.wait()
                return args[0]
            if kind == "fail":
                self.failures.remove(server)
                if not self.failures:
                    await self.failures_done.set()
                raise args[0]
            await self.release.wait()  # silent: never, unless the test gives up waiting
            return f"late reply from {server}"
        except curio.CancelledError:
            self.cancelled.append(server)
            await curio.sleep(0)  # closing the connection takes a turn of the kernel
            raise
        finally:
            self.in_flight -= 1
            self.ended.append(server)


def run(student, plan, *, timeout):
    """Run first_reply(servers, ask, within=timeout) in a fresh curio kernel.

    Returns (servers, call): `call.result` / `call.error` say how it ended; `call.asked` and
    `call.ended` list the servers asked, and those whose ask had ended, at the moment it ended (or
    when the test gave up waiting, if `call.stuck`).
    """
    servers = FakeServers(plan)
    call = SimpleNamespace(result=None, error=None, stuck=False, asked=None, ended=None)

    async def caller():
        try:
            call.result = await student.first_reply(servers.names, servers.ask, within=timeout)
        except (Exception, curio.CancelledError) as exc:
            call.error = exc
        finally:
            if call.asked is None:
                call.asked, call.ended = list(servers.asked), list(servers.ended)

    async def turns(done):
        for _ in range(PATIENCE):
            if done():
                return True
            await curio.sleep(0)  # one turn of the kernel: every ready task runs once
        return done()

    async def main():
        task = await curio.spawn(caller)
        # If the timeout must expire, wait that long, counted from the first ask.
        if timeout <= SHORT and await turns(lambda: task.terminated or servers.asked):
            await curio.sleep(SHORT)
        if not await turns(lambda: task.terminated):
            call.stuck = True
            call.asked, call.ended = list(servers.asked), list(servers.ended)
            for event in (servers.all_asked, servers.failures_done, servers.release):
                await event.set()  # let every server answer, so that first_reply can end
            if not await turns(lambda: task.terminated):
                await task.cancel(blocking=False)
        await task.join()

    curio.run(main)
    return servers, call


def silent(*names):
    return {name: ("silent",) for name in names}


@pytest.mark.points(1)
def test_asks_every_server_at_once_and_returns_the_first_reply(student):
    plan = {**silent("lisbon", "oslo"), "rome": ("reply", "pong from rome")}
    servers, call = run(student, plan, timeout=LONG)
    assert not call.stuck, (
        f"first_reply was still waiting after 'rome' could have replied (servers asked: "
        f"{call.asked}). Ask every server at once (spawn one task per server in a "
        f"curio.TaskGroup), and once you have a reply, cancel the others"
    )
    assert call.error is None, (
        f"first_reply raised {call.error!r}; it should return 'pong from rome'"
    )
    assert call.result == "pong from rome", (
        f"first_reply returned {call.result!r}, not 'pong from rome'"
    )
    assert servers.peak == 3, (
        f"only {servers.peak} server(s) were being asked at the same time: ask all 3 at once"
    )
    assert sorted(call.ended) == sorted(servers.names), (
        f"when first_reply returned, only the asks of {call.ended} had ended: cancel the "
        f"servers that have not answered, and wait until they have ended (leaving a "
        f"TaskGroup's block does both; `task.cancel(blocking=False)` only asks)"
    )


@pytest.mark.points(1)
def test_a_failed_server_is_not_an_answer(student):
    refused = ConnectionRefusedError("lisbon refused the connection")
    plan = {"lisbon": ("fail", refused), "oslo": ("silent",), "rome": ("reply", "pong from rome")}
    _, call = run(student, plan, timeout=LONG)
    assert not call.stuck, (
        f"first_reply was still waiting after 'rome' could have replied (servers asked: "
        f"{call.asked}): once you have a reply, cancel the others"
    )
    outcome = f"raised {call.error!r}" if call.error else f"returned {call.result!r}"
    assert (call.error, call.result) == (None, "pong from rome"), (
        f"'lisbon' failed with ConnectionRefusedError, 'rome' replied, and first_reply "
        f"{outcome}: a failed server is not an answer, keep waiting for the others and return "
        f"'pong from rome' (a TaskGroup with wait=any stops at the first task to end, even a "
        f"failed one)"
    )


@pytest.mark.points(1)
def test_returns_none_when_no_server_replies_in_time(student):
    _, call = run(student, silent("lisbon", "oslo", "rome"), timeout=SHORT)
    assert not call.stuck, (
        f"no server answered, and first_reply was still running after its {SHORT} s timeout: "
        f"put a deadline on the whole call with curio.ignore_after (or timeout_after)"
    )
    assert call.error is None, (
        f"first_reply raised {call.error!r} when no server answered in time; it should return "
        f"None (curio.timeout_after raises TaskTimeout, ignore_after does not)"
    )
    assert call.result is None, (
        f"first_reply returned {call.result!r}; nobody replied, so return None"
    )
    assert sorted(call.ended) == sorted(call.asked), (
        f"when the time was up, first_reply returned while only the asks of {call.ended} (of "
        f"{call.asked}) had ended: cancel every task, and wait until they have ended before "
        f"returning (leaving a TaskGroup's block does both)"
    )
