"""Public tests for async_context_manager: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time. Your lease talks to test
doubles: a `FakePool` whose `acquire()` and whose connections' `ping()` and `query()` each take one
await, and which logs every acquire, ping, query, return and discard. The hidden tests also raise
`Discard` in the block, make a ping fail, and cancel the task at every one of its awaits, for both
forms of the lease.
"""

import asyncio

import pytest

from grader.testing import EventLog

pytestmark = pytest.mark.exercise("async_context_manager")

DEADLINE = 60  # virtual seconds: a lease that hangs fails at once instead of hanging


class FakeConnection:
    def __init__(self, name, pool):
        self.name = name
        self.pool = pool

    async def ping(self):
        self.pool.log("ping", self.name)
        await asyncio.sleep(0.1)

    async def query(self, sql):
        await asyncio.sleep(0.5)
        self.pool.log("query", self.name, sql)
        return f"rows for {sql}"


class FakePool:
    """One connection; `release(conn, discard=True)` replaces it with a fresh one."""

    def __init__(self):
        self.log = EventLog()
        self.made = 0
        self.idle = [self._open()]
        self.out = []

    def _open(self):
        self.made += 1
        return FakeConnection(f"conn{self.made}", self)

    async def acquire(self):
        await asyncio.sleep(0.1)
        conn = self.idle.pop(0)
        self.out.append(conn)
        self.log("acquired", conn.name)
        return conn

    def release(self, conn, discard=False):
        self.out.remove(conn)
        self.log("discarded" if discard else "returned", conn.name)
        self.idle.append(self._open() if discard else conn)


@pytest.mark.points(1)
async def test_class_lease_returns_the_connection_after_the_block(student):
    pool = FakePool()
    async with asyncio.timeout(DEADLINE):
        async with student.Lease(pool) as conn:
            rows = await conn.query("select 1")
    assert rows == "rows for select 1", "`async with Lease(pool) as conn` should give a connection"
    assert pool.log.events == [("acquired", "conn1"), ("ping", "conn1"),
                               ("query", "conn1", "select 1"), ("returned", "conn1")], (
        f"the pool saw {pool.log.events}: acquire, ping, then after the block give the connection "
        f"back once with pool.release(conn) (not discarded: the block ended normally)"
    )


@pytest.mark.points(1)
async def test_generator_lease_returns_the_connection_after_the_block(student):
    pool = FakePool()
    async with asyncio.timeout(DEADLINE):
        async with student.lease(pool) as conn:
            rows = await conn.query("select 1")
    assert rows == "rows for select 1", "`async with lease(pool) as conn` should give a connection"
    assert pool.log.events == [("acquired", "conn1"), ("ping", "conn1"),
                               ("query", "conn1", "select 1"), ("returned", "conn1")], (
        f"the pool saw {pool.log.events}: acquire, ping, then after the block give the connection "
        f"back once with pool.release(conn) (not discarded: the block ended normally)"
    )


@pytest.mark.points(1)
async def test_error_in_the_block_discards_the_connection_and_propagates(student):
    pool = FakePool()
    error = ValueError("bad row")
    raised = None
    try:
        async with asyncio.timeout(DEADLINE):
            async with student.Lease(pool) as conn:
                await conn.query("select 1")
                raise error
    except Exception as exc:
        raised = exc
    assert raised is error, (
        f"the block raised ValueError('bad row') and `async with Lease(pool)` "
        f"{'raised ' + repr(raised) if raised else 'carried on as if nothing had happened'}: "
        f"let the block's exception come out of the async with, as is"
    )
    assert pool.log.events == [("acquired", "conn1"), ("ping", "conn1"),
                               ("query", "conn1", "select 1"), ("discarded", "conn1")], (
        f"the pool saw {pool.log.events}: after an error in the block, give the connection back "
        f"once with pool.release(conn, discard=True)"
    )
