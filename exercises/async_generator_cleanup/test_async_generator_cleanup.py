"""Public tests for async_generator_cleanup: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time. Your code talks to a test
double, `FakeDatabase`: `connect()` opens a connection, and the connection's `execute`, `fetchone`
and `close` each take a tenth of a virtual second. Everything is written to one event log, together
with the moment the code under test returned, so the tests can check what happened *before* that.
The hidden tests also throw exceptions in with `athrow()`, make a fetch fail, make `parse` fail, and
cancel both functions at every one of their awaits.
"""

import asyncio
import contextlib

import pytest

from grader.testing import EventLog

pytestmark = pytest.mark.exercise("async_generator_cleanup")

DEADLINE = 60  # virtual seconds: a solution that hangs fails at once instead of hanging
QUERY = "SELECT id, name FROM users"
USERS = [(1, "ada"), (2, "grace"), (3, "edsger"), (4, "barbara"), (5, "donald")]


class FakeDatabase:
    """A database double: every connection reads the same table; everything goes to ``log``."""

    def __init__(self, rows):
        self.rows = list(rows)
        self.log = EventLog()

    async def connect(self):
        await asyncio.sleep(0.1)
        self.log("open")
        return FakeConnection(self)


class FakeConnection:
    def __init__(self, db):
        self.db = db
        self.position = 0

    async def execute(self, query):
        await asyncio.sleep(0.1)
        self.db.log("execute", query)

    async def fetchone(self):
        """The next row, or None when there are no more."""
        await asyncio.sleep(0.1)
        if self.position == len(self.db.rows):
            self.db.log("no more rows")
            return None
        row = self.db.rows[self.position]
        self.position += 1
        self.db.log("fetch", row)
        return row

    async def close(self):
        self.db.log("close")
        await asyncio.sleep(0.1)


def name(row):
    return row[1]


@pytest.mark.points(1)
async def test_stream_rows_yields_every_row_then_closes_once(student):
    db = FakeDatabase(USERS[:2])
    async with asyncio.timeout(DEADLINE):
        rows = [row async for row in student.stream_rows(db.connect, QUERY)]
    assert rows == USERS[:2], f"stream_rows yielded {rows}; it should yield every row in order"
    assert db.log.events == [
        ("open",), ("execute", QUERY), ("fetch", (1, "ada")), ("fetch", (2, "grace")),
        ("no more rows",), ("close",),
    ], f"the database saw {db.log.events}: open, run the query, fetch every row, then close once"


@pytest.mark.points(1)
async def test_aclose_after_two_rows_closes_the_connection(student):
    db = FakeDatabase(USERS)
    rows = student.stream_rows(db.connect, QUERY)
    try:
        async with asyncio.timeout(DEADLINE):
            got = [await anext(rows), await anext(rows)]
            db.log("consumer calls aclose()")
            await rows.aclose()
            db.log("aclose() returned")
    finally:
        with contextlib.suppress(BaseException):
            await rows.aclose()  # in case it failed half-way: the test must not leave it open
    assert got == USERS[:2], f"the first two rows were {got}, expected {USERS[:2]}"
    assert db.log.events[-3:] == [("consumer calls aclose()",), ("close",), ("aclose() returned",)], (
        f"the database saw {db.log.events}: `aclose()` raises GeneratorExit at the `yield` where the "
        f"generator is suspended; the connection must be closed (once) before aclose() returns, so "
        f"close it in `finally`"
    )


@pytest.mark.points(1)
async def test_first_rows_has_closed_when_it_returns(student):
    db = FakeDatabase(USERS)
    async with asyncio.timeout(DEADLINE):
        names = await student.first_rows(db.connect, QUERY, 2, name)
    db.log("first_rows returned")
    await asyncio.sleep(1)  # let anything it left behind happen before we look
    assert names == ["ada", "grace"], f"first_rows returned {names!r}, expected ['ada', 'grace']"
    before_return = db.log.events[: db.log.events.index(("first_rows returned",))]
    assert ("close",) in before_return, (
        f"the database saw {db.log.events}. The connection must be closed before first_rows "
        f"returns: after `break`, the generator waits at its `yield` until someone closes it (the "
        f"garbage collector does, later). Close it yourself, with `contextlib.aclosing`"
    )
    assert db.log.events == [
        ("open",), ("execute", QUERY), ("fetch", (1, "ada")), ("fetch", (2, "grace")),
        ("close",), ("first_rows returned",),
    ], (
        f"the database saw {db.log.events}: for n=2, open, run the query, fetch exactly two rows "
        f"(stop as soon as you have n), close once, and only then return"
    )
