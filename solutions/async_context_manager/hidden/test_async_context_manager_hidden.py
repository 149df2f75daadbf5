"""Hidden grader for async_context_manager.

Both forms of the lease, ``Lease(pool)`` (a class) and ``lease(pool)`` (``@asynccontextmanager``),
are graded the same way, every test trying each in turn, against a ``FakePool`` written here. The
pool hands out ``FakeConnection``s, logs every acquire, ping, query, return and discard, and notes
every release it could not accept (a connection given back twice, or not one of its own): "the
resources balance" is then read off the pool (nothing still out, no bad release), not guessed from
timing. ``cancel_at_each_await`` cancels a block that uses the lease at each of its awaits in turn:
while acquiring, while pinging, and inside the block.
"""

import asyncio

import pytest

from grader.testing import EventLog, cancel_at_each_await

pytestmark = pytest.mark.exercise("async_context_manager")

DEADLINE = 60  # virtual seconds: a lease that hangs fails at once instead of hanging

FORMS = [
    ("Lease(pool)", lambda student, pool: student.Lease(pool)),
    ("lease(pool)", lambda student, pool: student.lease(pool)),
]


class FakeConnection:
    """A connection double: ``ping`` and ``query`` each take one await on the virtual clock."""

    def __init__(self, name: str, pool: "FakePool", ping_error: BaseException | None) -> None:
        self.name = name
        self.pool = pool
        self.ping_error = ping_error

    async def ping(self) -> None:
        self.pool.log("ping", self.name)
        await asyncio.sleep(0.1)
        if self.ping_error is not None:
            raise self.ping_error

    async def query(self, sql: str) -> str:
        if self not in self.pool.out:
            self.pool.problems.append(f"the block used {self.name} after it was given back")
        await asyncio.sleep(0.5)
        self.pool.log("query", self.name, sql)
        return f"rows for {sql}"

    def __repr__(self) -> str:
        return self.name


class FakePool:
    """A pool of ``size`` connections; ``ping_errors`` maps a connection's name to its ping error.

    ``release(conn, discard=True)`` drops the connection and opens a fresh one in its place.
    """

    def __init__(self, size: int = 1, ping_errors: dict | None = None) -> None:
        self.log = EventLog()
        self.ping_errors = ping_errors or {}
        self.problems: list[str] = []
        self.out: list[FakeConnection] = []
        self.made = 0
        self.idle = [self._open() for _ in range(size)]

    def _open(self) -> FakeConnection:
        self.made += 1
        name = f"conn{self.made}"
        return FakeConnection(name, self, self.ping_errors.get(name))

    async def acquire(self) -> FakeConnection:
        await asyncio.sleep(0.1)  # a round trip to the pool: cancellable, and nothing is taken
        if not self.idle:
            self.problems.append("the pool ran dry: an earlier lease never gave its connection back")
            raise RuntimeError("no idle connection in the pool")
        conn = self.idle.pop(0)
        self.out.append(conn)
        self.log("acquired", conn.name)
        return conn

    def release(self, conn, discard: bool = False) -> None:
        if conn not in self.out:
            self.problems.append(f"pool.release() was called with {conn!r}, which was not out "
                                 f"(given back twice?)")
            return
        self.out.remove(conn)
        if discard:
            self.log("discarded", conn.name)
            self.idle.append(self._open())
        else:
            self.log("returned", conn.name)
            self.idle.append(conn)


def balance_problem(pool: FakePool) -> str | None:
    """What is unbalanced in the pool, in the student's terms, or None."""
    if pool.problems:
        return "; ".join(pool.problems)
    if pool.out:
        names = ", ".join(c.name for c in pool.out)
        return (f"{names} was never given back to the pool (pool.release was not called): "
                f"release it on every way out")
    return None


def story(pool: FakePool) -> str:
    words = [" ".join(map(str, e)) for e in pool.log.events]
    return ", ".join(words) or "nothing at all"


async def run_block(form, student, pool: FakePool, body) -> tuple[object, BaseException | None]:
    """``async with form(pool) as conn: await body(conn)``; then log "after block".

    Returns (what the block returned, None), or (None, the exception that came out of the async with).
    """
    result = None  # stays None when the block's exception is suppressed
    try:
        async with asyncio.timeout(DEADLINE):
            async with form(student, pool) as conn:
                pool.log("block entered", getattr(conn, "name", conn))
                result = await body(conn)
            pool.log("after block")
            return result, None
    except TimeoutError:
        pytest.fail(f"the lease was still running after {DEADLINE} s: does it wait for something "
                    f"that never happens?")
    except Exception as exc:
        return None, exc


# -- errors and Discard ---------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_block_errors_propagate_unchanged_and_discard_the_connection(student):
    for name, form in FORMS:
        for error in [ValueError("bad row"), KeyError("missing column")]:
            pool = FakePool()

            async def body(conn, error=error):
                await conn.query("select 1")
                raise error

            _, raised = await run_block(form, student, pool, body)
            what = f"the block inside `async with {name}` raised {error!r}"
            assert raised is error, (
                f"{what}, and the async with "
                f"{'raised ' + repr(raised) if raised else 'went on as if nothing had happened'}: "
                f"let that same exception propagate (from __aexit__, return a false value; in the "
                f"generator, re-raise it or use `finally`)"
            )
            problem = balance_problem(pool)
            assert problem is None, f"{what}: {problem}"
            assert pool.log.events == [("acquired", "conn1"), ("ping", "conn1"),
                                       ("block entered", "conn1"), ("query", "conn1", "select 1"),
                                       ("discarded", "conn1")], (
                f"{what}; the pool saw: {story(pool)}. Expected conn1 to be acquired, pinged, "
                f"used, then discarded once: after an error its state is unknown, so "
                f"release(conn, discard=True)"
            )


@pytest.mark.points(1)
async def test_discard_is_suppressed_and_drops_the_connection(student):
    for name, form in FORMS:
        pool = FakePool()

        async def body(conn):
            await conn.query("select 1")
            raise student.Discard()

        _, raised = await run_block(form, student, pool, body)
        what = f"the block inside `async with {name}` raised Discard()"
        assert raised is None, (
            f"{what}, and it came out of the async with as {raised!r}: Discard is the lease's own "
            f"signal, so once the connection is discarded, suppress it (and only it)"
        )
        problem = balance_problem(pool)
        assert problem is None, f"{what}: {problem}"
        assert pool.log.events == [("acquired", "conn1"), ("ping", "conn1"),
                                   ("block entered", "conn1"), ("query", "conn1", "select 1"),
                                   ("discarded", "conn1"), ("after block",)], (
            f"{what}; the pool saw: {story(pool)}. Expected conn1 discarded once, then the code "
            f"after the async with to carry on"
        )


@pytest.mark.points(1)
async def test_failed_ping_discards_and_propagates(student):
    for name, form in FORMS:
        error = ConnectionRefusedError("conn1 went away")
        pool = FakePool(ping_errors={"conn1": error})

        async def body(conn):
            return await conn.query("select 1")

        _, raised = await run_block(form, student, pool, body)
        what = f"conn1's ping raised {error!r} while entering `async with {name}`"
        assert raised is error, (
            f"{what}, and the async with "
            f"{'raised ' + repr(raised) if raised else 'ran the block anyway'}: let that same "
            f"exception propagate, and never run the block with a connection that failed its ping"
        )
        problem = balance_problem(pool)
        assert problem is None, (
            f"{what}: {problem}. __aexit__ (or the code after `yield`) only runs if entering "
            f"succeeded: a failure after acquire() and before you hand the connection out is "
            f"yours to clean up"
        )
        assert pool.log.events == [("acquired", "conn1"), ("ping", "conn1"),
                                   ("discarded", "conn1")], (
            f"{what}; the pool saw: {story(pool)}. Expected conn1 to be discarded once and the "
            f"block never entered"
        )
        result, raised = await run_block(form, student, pool, body)
        next_went = f"raised {raised!r}" if raised else f"returned {result!r}"
        assert raised is None, (
            f"after {what}, the next `async with {name}` {next_went} (the pool saw: "
            f"{story(pool)}); it should have run with a fresh connection"
        )
        assert result == "rows for select 1", f"after {what}, the next block {next_went}"


# -- cancellation -----------------------------------------------------------------------------------


async def check_cancel_at_every_await(student, name, form):
    async def use(pool):
        async with form(student, pool) as conn:
            pool.log("block entered", conn.name)
            await conn.query("select 1")
            await conn.query("select 2")
        pool.log("after block")
        return "done"

    def scenario():
        pool = FakePool()
        return use(pool), pool

    runs = await cancel_at_each_await(scenario, wait=DEADLINE)
    for run in runs:
        pool = run.context
        when = (f"When a task using `async with {name}` was cancelled at its await #{run.point}"
                if run.reached else f"When a task using `async with {name}` was not cancelled")
        assert not run.hung, (
            f"{when}, {run.describe()} (the pool saw: {story(pool)}). Never swallow "
            f"CancelledError"
        )
        problem = balance_problem(pool)
        assert problem is None, f"{when}: {problem} (the pool saw: {story(pool)})"
        if not run.reached:
            normal = (f"{when}, {run.describe()} and the pool saw: {story(pool)}; after a normal "
                      f"exit the connection goes back with release(conn) (discard=False) and the "
                      f"code after the block carries on")
            assert run.result == "done", normal
            assert pool.log.names()[-2:] == ["returned", "after block"], normal
            continue
        assert run.cancelled, (
            f"{when}, {run.describe()} (the pool saw: {story(pool)}). The cancellation must "
            f"propagate out of the async with so the task ends cancelled: never suppress "
            f"CancelledError (__aexit__ must return a false value for it; the generator must "
            f"re-raise it)"
        )
        if pool.log.count("acquired"):
            assert pool.log.count("returned") == 0, (
                f"{when}, the pool saw: {story(pool)}. A cancelled block leaves its connection "
                f"half-way through a conversation: release it with discard=True (CancelledError "
                f"is a BaseException, not an Exception)"
            )


@pytest.mark.points(2)
async def test_cancel_at_every_await_releases_once_class_form(student):
    await check_cancel_at_every_await(student, *FORMS[0])


@pytest.mark.points(2)
async def test_cancel_at_every_await_releases_once_generator_form(student):
    await check_cancel_at_every_await(student, *FORMS[1])
