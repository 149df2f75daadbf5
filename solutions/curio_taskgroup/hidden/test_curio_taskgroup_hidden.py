"""Hidden grader for curio_taskgroup.

These are plain ``def`` tests: each one runs its own curio kernel with ``curio.run``, since curio is
not asyncio (an ``async def`` test would run on an asyncio loop, where a curio trap is rejected).

curio has no virtual clock, so no verdict depends on time. The servers are doubles written here
(``FakeServers``): each one answers only once *every* server has been asked, so a reply or a failure
can only come from a solution that asked them all at once, and its in-flight counter then reaches
its peak by construction. A "silent" server never answers on its own: it ends only by being
cancelled, and logs that it saw the ``curio.CancelledError`` and finished its cleanup (which takes a
turn of the kernel, like closing a connection). ``first_reply`` runs in a task of the grader's, the
"caller", which notes at the very moment it ends what each server had done, and which tasks started
since were still alive (curio's ``Activation`` hook sees every task created and terminated).

How long to wait is counted, not timed: curio runs ready tasks in a fixed order and has no
preemption, so a correct solution ends within a few dozen turns of the kernel once its last server
has answered. If the call is still running ``PATIENCE`` turns later, it is waiting for something
that will never happen: the grader notes it as stuck and lets every server answer (a silent one
with a late reply), so that the call ends and the verdict can say what went wrong. In the tests of
the success paths the student's timeout is 60 s and never expires. The only real-time waits are the
tests where a timeout must expire: every server there is silent, so expiry is the only possible
outcome, and the grader starts its own wait only after the first ask, hence after the deadline was
set, and waits exactly as long.
"""

import curio
import pytest
from curio.kernel import Activation

pytestmark = pytest.mark.exercise("curio_taskgroup")

PATIENCE = 1000  # turns of the kernel; a correct solution needs a few dozen at most
LONG = 60.0  # the timeout of tests where it must not matter
SHORT = 0.2  # the timeout of tests where it must expire (every server there is silent)


class NoSuchServer(Exception):
    """Raised by the doubles when asked about a server that is not in the list."""


class Tracker(Activation):
    """Every curio task alive in the kernel, through curio's public hook for tracers."""

    def __init__(self) -> None:
        self.alive: dict[int, curio.Task] = {}

    def created(self, task) -> None:
        self.alive[task.id] = task

    def terminated(self, task) -> None:
        self.alive.pop(task.id, None)

    def started_after(self, task_id: int) -> list:
        return [task for tid, task in sorted(self.alive.items()) if tid > task_id]


class FakeServers:
    """Doubles for the servers, driven by a plan: ``{name: behaviour}`` in the order of ``servers``.

    Behaviours: ``("reply", value)`` replies ``value``; ``("fail", exc)`` raises ``exc``, or
    ``("fail", exc, other)`` raises it only once server ``other`` has failed; ``("silent",)``
    never answers (until the grader releases it, if the call is stuck). Nobody answers before every
    server has been asked, and a reply comes only after every failure of the plan. The exception:
    ``("fail_at_once", exc)`` raises at once, in the first step of its task, which curio runs
    before the task that spawned it can see a timeout (so a failure and a timeout never race).
    """

    def __init__(self, plan: dict) -> None:
        self.plan = plan
        self.names = list(plan)
        self.asked: list = []
        self.cancelled: list = []  # saw a curio.CancelledError
        self.ended: list = []  # the ask has ended, its cleanup included
        self.late: list = []  # silent servers the grader had to release
        self.asked_when_stuck: list | None = None
        self.in_flight = 0
        self.peak = 0
        self.all_asked = curio.Event()
        self.failures_done = curio.Event()
        self.failed = {name: curio.Event() for name in plan}
        self.release = curio.Event()
        self.to_fail = sum(1 for b in plan.values() if b[0] == "fail")

    async def ask(self, server):
        if server not in self.plan:
            raise NoSuchServer(f"{server!r} is not one of the servers {self.names}")
        self.asked.append(server)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if len(set(self.asked)) == len(self.names):
                await self.all_asked.set()
            kind, *args = self.plan[server]
            if kind == "fail_at_once":
                raise args[0]
            await self.all_asked.wait()
            if kind == "reply":
                if self.to_fail:
                    await self.failures_done.wait()
                return args[0]
            if kind == "fail":
                if len(args) > 1:
                    await self.failed[args[1]].wait()
                await self.failed[server].set()
                if sum(e.is_set() for e in self.failed.values()) == self.to_fail:
                    await self.failures_done.set()
                raise args[0]
            await self.release.wait()
            self.late.append(server)
            return f"late reply from {server}"
        except curio.CancelledError:
            self.cancelled.append(server)
            await curio.sleep(0)  # closing the connection takes a turn of the kernel
            raise
        finally:
            self.in_flight -= 1
            self.ended.append(server)

    async def release_all(self) -> None:
        """Let every server answer: what the grader does when the call is stuck."""
        self.asked_when_stuck = list(self.asked)
        for event in [self.all_asked, self.failures_done, self.release, *self.failed.values()]:
            await event.set()

    def silent(self) -> list:
        return [name for name, b in self.plan.items() if b[0] == "silent"]


class Outcome:
    """How the call to first_reply ended, and what the servers had done at that moment."""

    def __init__(self) -> None:
        self.result = None
        self.error: BaseException | None = None
        self.ended = False
        self.stuck = False
        self.asked: list = []
        self.cancelled: list = []
        self.finished: list = []
        self.left_running: list = []

    def describe(self) -> str:
        if not self.ended:
            return "never ended"
        if isinstance(self.error, curio.CancelledError):  # its args are only the kernel's clock
            return f"raised curio.{type(self.error).__name__}"
        if self.error is not None:
            return f"raised {type(self.error).__name__}({', '.join(map(repr, self.error.args))})"
        return f"returned {self.result!r}"

    def returned(self, value) -> bool:
        """True if first_reply ended by returning ``value``."""
        return self.ended and self.error is None and self.result == value


def run(student, plan, *, timeout, cancel=False, caller_timeout=None):
    """Run first_reply(servers, ask, within=timeout) in a fresh curio kernel; return
    (servers, outcome). ``cancel``: the caller's task is cancelled once every server is asked.
    ``caller_timeout``: the caller wraps the call in its own ``curio.timeout_after``."""
    servers = FakeServers(plan)
    tracker = Tracker()
    outcome = Outcome()

    async def caller():
        me = await curio.current_task()
        try:
            if caller_timeout is None:
                outcome.result = await student.first_reply(
                    list(servers.names), servers.ask, within=timeout
                )
            else:
                async with curio.timeout_after(caller_timeout):
                    outcome.result = await student.first_reply(
                        list(servers.names), servers.ask, within=timeout
                    )
        except (Exception, curio.CancelledError) as exc:
            outcome.error = exc
        finally:
            outcome.ended = True
            outcome.asked = list(servers.asked)
            outcome.cancelled = list(servers.cancelled)
            outcome.finished = list(servers.ended)
            outcome.left_running = [t.name for t in tracker.started_after(me.id)]

    async def turns(done) -> bool:
        for _ in range(PATIENCE):
            if done():
                return True
            await curio.sleep(0)
        return done()

    async def main():
        task = await curio.spawn(caller)
        if cancel:
            if await turns(servers.all_asked.is_set):
                await task.cancel(blocking=False)
        elif min(timeout, caller_timeout or LONG) <= SHORT and await turns(
            lambda: task.terminated or servers.asked
        ):
            # A deadline must expire: wait as long, from the first ask (so after the deadline
            # was set), then count turns as usual.
            await curio.sleep(SHORT)
        if not await turns(lambda: task.terminated):
            outcome.stuck = True
            await servers.release_all()
            if not await turns(lambda: task.terminated):
                await task.cancel(blocking=False)
                await turns(lambda: task.terminated)
        if not task.terminated:
            pytest.fail(
                "first_reply went on running after every server had answered and after its "
                "task was cancelled: does it swallow curio.CancelledError and wait again?"
            )
        await task.join()

    try:
        curio.run(main, activations=[tracker])
    except TypeError as exc:
        if "subscriptable" not in str(exc):
            raise
        # The kernel got something that is not a curio trap: an asyncio awaitable.
        pytest.fail(f"the curio kernel crashed ({exc}): did you await something from asyncio "
                    f"(asyncio.sleep, an asyncio.Future)? Inside curio, await curio's own calls")
    return servers, outcome


def silent_plan(*names):
    return {name: ("silent",) for name in names}


def asked_again(servers: FakeServers) -> list:
    """The servers asked more than once (before the grader released anything)."""
    asked = servers.asked_when_stuck if servers.asked_when_stuck is not None else servers.asked
    return sorted({s for s in asked if asked.count(s) > 1})


def why_stuck(servers: FakeServers, outcome: Outcome, situation: str) -> str:
    """Why first_reply did not end, in the student's terms."""
    asked = servers.asked_when_stuck or []
    again = asked_again(servers)
    if again:
        return (
            f"{situation}, first_reply never ended: server(s) {again} were asked again after "
            f"their task had been cancelled, so the cancelled tasks never ended and the group "
            f"waited for them forever (the test had to release them). A cancelled task must end: "
            f"never catch curio.CancelledError to carry on"
        )
    if set(asked) != set(servers.names):
        asked = ", ".join(asked) or "none"
        return (
            f"{situation}, first_reply kept waiting after asking only some of the servers "
            f"(asked: {asked}; the servers answer only once all {len(servers.names)} have been "
            f"asked): ask every server at once, each in a task spawned into one curio.TaskGroup"
        )
    return (
        f"{situation}, first_reply kept waiting for servers that never answer (the test had to "
        f"release them). Once you have what you need, the others must be cancelled: leaving a "
        f"TaskGroup with the default wait=all waits for every task; use wait=object (or any), "
        f"or `await g.cancel_remaining()`"
    )


def assert_everything_stopped(servers: FakeServers, outcome: Outcome, situation: str) -> None:
    """Every ask had ended (cancelled ones had cleaned up), and no task was left running."""
    still = [s for s in outcome.asked if s not in outcome.finished]
    if still and all(s in outcome.cancelled for s in still):
        pytest.fail(
            f"{situation}, first_reply {outcome.describe()} while the ask of server(s) {still} "
            f"had been cancelled but had not ended yet (it was still cleaning up): cancelling only "
            f"asks; wait until the tasks have ended (`await task.cancel()` waits, "
            f"`cancel(blocking=False)` does not; leaving a TaskGroup's block waits too)"
        )
    assert not still, (
        f"{situation}, first_reply {outcome.describe()} while the ask of server(s) {still} was "
        f"still running: every task that has not answered must be cancelled, and must have "
        f"ended, before you return (leaving a TaskGroup's block does both; "
        f"`cancel(blocking=False)` only asks, and a task you never cancel runs on)"
    )
    assert not outcome.left_running, (
        f"{situation}, first_reply {outcome.describe()} but left task(s) running: "
        f"{outcome.left_running}. Every task it starts must have ended when it returns: spawn "
        f"them into a curio.TaskGroup and leave the group's block before returning"
    )


# -- the tests ----------------------------------------------------------------------------------------


@pytest.mark.points(1)
def test_every_server_is_asked_once_and_all_at_once(student):
    plan = {**silent_plan("lisbon", "oslo", "rome"), "kyiv": ("reply", "pong from kyiv"),
            "tunis": ("silent",)}
    servers, outcome = run(student, plan, timeout=LONG)
    situation = "With five servers of which only 'kyiv' (the fourth) ever replies"
    assert not outcome.stuck, why_stuck(servers, outcome, situation)
    assert outcome.returned("pong from kyiv"), (
        f"{situation}, first_reply {outcome.describe()}; it should return 'pong from kyiv'"
    )
    assert sorted(outcome.asked) == sorted(servers.names), (
        f"{situation}, the servers were asked in this order: {outcome.asked}; ask each server "
        f"exactly once"
    )
    assert servers.peak == len(servers.names), (
        f"{situation}, at most {servers.peak} asks were in flight at once: ask all "
        f"{len(servers.names)} at the same time"
    )


@pytest.mark.points(2)
def test_losers_are_cancelled_and_ended_before_it_returns(student):
    for winner_at in (0, 2):  # the first server replies; then the last one does
        names = ["lisbon", "oslo", "rome"]
        plan = silent_plan(*names)
        plan[names[winner_at]] = ("reply", f"pong from {names[winner_at]}")
        servers, outcome = run(student, plan, timeout=LONG)
        situation = f"When only {names[winner_at]!r} replied (the others never answer)"
        assert not outcome.stuck, why_stuck(servers, outcome, situation)
        assert outcome.returned(f"pong from {names[winner_at]}"), (
            f"{situation}, first_reply {outcome.describe()}; it should return "
            f"'pong from {names[winner_at]}'"
        )
        assert_everything_stopped(servers, outcome, situation)


@pytest.mark.points(1)
def test_failures_before_the_reply_are_not_answers(student):
    refused = ConnectionRefusedError("lisbon refused")
    broken = ValueError("oslo sent garbage")
    plan = {"lisbon": ("fail", refused), "oslo": ("fail", broken), "rome": ("silent",),
            "kyiv": ("reply", "pong from kyiv"), "tunis": ("silent",)}
    servers, outcome = run(student, plan, timeout=LONG)
    situation = ("When 'lisbon' and 'oslo' failed (ConnectionRefusedError, ValueError) before "
                 "'kyiv' replied")
    assert not outcome.stuck, why_stuck(servers, outcome, situation)
    assert outcome.returned("pong from kyiv"), (
        f"{situation}, first_reply {outcome.describe()}; a failed server is not an answer: "
        f"keep waiting for the others and return 'pong from kyiv'. A TaskGroup with wait=any "
        f"stops at the first task to end, failed or not"
    )
    assert_everything_stopped(servers, outcome, situation)


@pytest.mark.points(1)
def test_every_server_failed_raises_no_reply_in_server_order(student):
    errors = [ConnectionRefusedError("lisbon refused"), TimeoutError("oslo timed out"),
              ValueError("rome sent garbage")]
    # They fail in reverse order: rome first, then oslo, then lisbon.
    plan = {"lisbon": ("fail", errors[0], "oslo"), "oslo": ("fail", errors[1], "rome"),
            "rome": ("fail", errors[2])}
    servers, outcome = run(student, plan, timeout=LONG)
    situation = "When every server failed (rome first, then oslo, then lisbon)"
    assert not outcome.stuck, why_stuck(servers, outcome, situation)
    assert isinstance(outcome.error, student.NoReply), (
        f"{situation}, first_reply {outcome.describe()}; it should raise NoReply with every "
        f"server's exception, at once, without waiting for the timeout"
    )
    got = getattr(outcome.error, "errors", None)
    same = isinstance(got, list) and [id(e) for e in got] == [id(e) for e in errors]
    assert same, (
        f"{situation}, NoReply.errors was {got!r}; it should be the three exceptions the "
        f"servers raised, in the order of `servers` (lisbon, oslo, rome), not in the order "
        f"they failed"
    )
    assert not outcome.left_running, (
        f"{situation}, first_reply raised NoReply but left task(s) running: "
        f"{outcome.left_running}"
    )


@pytest.mark.points(1)
def test_no_reply_in_time_returns_none_and_stops_everything(student):
    plan = {"lisbon": ("silent",), "oslo": ("fail_at_once", ConnectionRefusedError("oslo refused")),
            "rome": ("silent",)}
    servers, outcome = run(student, plan, timeout=SHORT)
    situation = (f"When 'oslo' failed and the two others never answered within the {SHORT} s "
                 f"timeout")
    if outcome.stuck:
        assert not asked_again(servers), why_stuck(servers, outcome, situation)
        pytest.fail(
            f"{situation}, first_reply was still running after its timeout had expired (the "
            f"test had to release the servers; it then {outcome.describe()}): put one deadline "
            f"on the whole call, curio.ignore_after(within) (or timeout_after)"
        )
    if isinstance(outcome.error, curio.TaskTimeout | curio.UncaughtTimeoutError):
        pytest.fail(
            f"{situation}, first_reply {outcome.describe()}; it should return None. "
            f"timeout_after raises curio.TaskTimeout when its time is up, a CancelledError "
            f"meant for the code right around it: catch it there, or use ignore_after, which "
            f"leaves its block quietly and marks it expired"
        )
    assert outcome.returned(None), (
        f"{situation}, first_reply {outcome.describe()}; it should return None: not every "
        f"server failed, some just did not answer in time (a cancelled ask is not a failure)"
    )
    assert_everything_stopped(servers, outcome, situation)


@pytest.mark.points(1)
def test_callers_cancellation_and_timeout_pass_through(student):
    names = ("lisbon", "oslo", "rome")
    servers, outcome = run(student, silent_plan(*names), timeout=LONG, cancel=True)
    situation = "When the task that called first_reply was cancelled while it waited"
    assert not outcome.stuck, why_stuck(servers, outcome, situation)
    assert isinstance(outcome.error, curio.TaskCancelled), (
        f"{situation}, first_reply {outcome.describe()}; the cancellation was aimed at its "
        f"caller and must propagate (catch no curio.CancelledError: TaskTimeout is one, but so "
        f"is TaskCancelled)"
    )
    assert_everything_stopped(servers, outcome, situation)

    servers, outcome = run(student, silent_plan(*names), timeout=LONG, caller_timeout=SHORT)
    situation = (f"When first_reply(within={LONG:g}) was called inside its caller's own "
                 f"`curio.timeout_after({SHORT})` and that expired first")
    assert not outcome.stuck, why_stuck(servers, outcome, situation)
    assert isinstance(outcome.error, curio.TaskTimeout), (
        f"{situation}, the caller's block {outcome.describe()}; it should have raised "
        f"TaskTimeout. The caller's deadline reaches first_reply as "
        f"curio.TimeoutCancellationError (a CancelledError, not a TaskTimeout): let it through, "
        f"catch only your own timeout"
    )
    assert_everything_stopped(servers, outcome, situation)
