"""Hidden grader for async_generator_cleanup.

Both functions are graded against a ``FakeDatabase`` written here: ``connect``, ``execute``,
``fetchone`` and ``close`` each suspend on the virtual clock and write to one event log. The grader
writes into the same log the moment the student's code returned or raised, so "closed before
returning" is read off the log, never left to the end of the test: the grading plugin lets the loop
close abandoned generators before it counts leaks, so a generator the student forgot to close would
otherwise close itself later, unnoticed. ``stream_rows`` is driven by hand (``anext``, ``athrow``,
``aclose``) and cancelled at every suspension point; ``first_rows`` too.
"""

import asyncio
import contextlib

import pytest

from grader.testing import EventLog, cancel_at_each_await

pytestmark = pytest.mark.exercise("async_generator_cleanup")

DEADLINE = 60
QUERY = "SELECT id, name FROM users"
USERS = [(1, "ada"), (2, "grace"), (3, "edsger"), (4, "barbara"), (5, "donald")]


class FakeDatabase:
    """A database double: every connection reads ``rows``; ``fail_at`` makes that fetch raise."""

    def __init__(self, rows, fail_at=None, error=None):
        self.rows = list(rows)
        self.fail_at = fail_at
        self.error = error
        self.log = EventLog()
        self.opened = 0
        self.close_calls = 0
        self.fetches = 0
        self.at_exit = None  # (opened, close calls) when the code under test ended

    async def connect(self):
        await asyncio.sleep(0.1)
        self.opened += 1
        self.log("open")
        return FakeConnection(self)

    def note_exit(self, what):
        self.at_exit = (self.opened, self.close_calls)
        self.log(what)


class FakeConnection:
    def __init__(self, db):
        self.db = db
        self.position = 0

    async def execute(self, query):
        await asyncio.sleep(0.1)
        self.db.log("execute", query)

    async def fetchone(self):
        await asyncio.sleep(0.1)
        self.db.fetches += 1
        if self.position == self.db.fail_at:
            self.db.log("fetch failed")
            raise self.db.error
        if self.position == len(self.db.rows):
            self.db.log("no more rows")
            return None
        row = self.db.rows[self.position]
        self.position += 1
        self.db.log("fetch", row)
        return row

    async def close(self):
        self.db.close_calls += 1
        self.db.log("close")
        await asyncio.sleep(0.1)


def name(row):
    return row[1]


async def close_quietly(agen):
    """Our own cleanup of a generator we drove: it must not stay open past the test."""
    with contextlib.suppress(BaseException):
        await agen.aclose()


def closes_before(db, marker):
    """The events up to ``marker``: what had happened by the moment the student's code ended."""
    return db.log.events[: db.log.events.index((marker,)) + 1]


# -- stream_rows --------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_error_thrown_in_with_athrow_closes_then_propagates(student):
    db = FakeDatabase(USERS)
    rows = student.stream_rows(db.connect, QUERY)
    error = ValueError("row (1, 'ada') is malformed")
    outcome = None
    try:
        async with asyncio.timeout(DEADLINE):
            await anext(rows)
            try:
                got = await rows.athrow(error)
                outcome = f"yielded {got!r} and went on"
            except ValueError as exc:
                outcome = "raised it" if exc is error else f"raised another ValueError: {exc}"
            except StopAsyncIteration:
                outcome = "swallowed it and ended quietly"
            db.log("athrow() ended")
    finally:
        await close_quietly(rows)
    assert outcome == "raised it", (
        f"the consumer threw ValueError into stream_rows with athrow() after the first row, and "
        f"the generator {outcome}. athrow(exc) raises exc at the `yield`; close the connection in "
        f"`finally` and let the exception propagate to the consumer (do not catch it, or re-raise)"
    )
    assert closes_before(db, "athrow() ended")[-2:] == [("close",), ("athrow() ended",)], (
        f"the database saw {db.log.events}: the connection should be closed once, before the "
        f"ValueError thrown in with athrow() came back out of the generator"
    )
    assert db.close_calls == 1, f"close() was called {db.close_calls} times; call it exactly once"


@pytest.mark.points(1)
async def test_fetch_error_closes_then_propagates(student):
    error = ConnectionResetError("server closed the connection")
    db = FakeDatabase(USERS, fail_at=2, error=error)
    got, raised = [], None
    try:
        async with asyncio.timeout(DEADLINE):
            async for row in student.stream_rows(db.connect, QUERY):
                got.append(row)
    except Exception as exc:
        raised = exc
    db.note_exit("error reached the consumer")
    assert raised is error, (
        f"the third fetchone() raised ConnectionResetError, but the consumer saw "
        f"{'no error' if raised is None else repr(raised)} (after rows {got}): let the error "
        f"propagate out of the generator"
    )
    assert db.at_exit == (1, 1), (
        f"when the fetch error reached the consumer, close() had been called {db.at_exit[1]} "
        f"time(s): a failed fetch must still close the connection, exactly once (`finally`)"
    )


def consume_all(student, db):
    """A consumer that reads every row with a plain `async for` and notes when it ended."""

    async def consume():
        got = []
        try:
            async for row in student.stream_rows(db.connect, QUERY):
                got.append(row)
        finally:
            db.note_exit("consumer ended")
        return got

    return consume(), db


def check_cancel_runs(runs, what):
    for run in runs:
        db = run.context
        opened, closes = db.at_exit
        if run.reached:
            where = f"{what} was cancelled at its await #{run.point} (after {db.log.events[:-1]})"
            assert run.cancelled, (
                f"{where}, and {run.describe()}: let the CancelledError propagate once the "
                f"connection is closed"
            )
            assert closes == opened, (
                f"{where}; when it ended, {opened} connection(s) had been opened and close() had "
                f"been called {closes} time(s). A cancellation raises CancelledError (a "
                f"BaseException) at the await inside the generator: close in `finally`"
            )
        else:
            assert closes == opened == 1, (
                f"{what} ran to its end but close() was called {closes} time(s); expected once"
            )


@pytest.mark.points(1)
async def test_stream_rows_cancelled_at_each_await_closes_once(student):
    runs = await cancel_at_each_await(lambda: consume_all(student, FakeDatabase(USERS[:3])))
    check_cancel_runs(runs, "a consumer reading every row of stream_rows")
    assert runs[-1].result == USERS[:3], f"stream_rows yielded {runs[-1].result}, expected {USERS[:3]}"


@pytest.mark.points(1)
async def test_stream_rows_closes_once_on_every_way_out(student):
    # Exhausted, and closed early with aclose() at every yield: exactly one close each time.
    for stop_after in range(len(USERS) + 1):
        db = FakeDatabase(USERS)
        rows = student.stream_rows(db.connect, QUERY)
        try:
            async with asyncio.timeout(DEADLINE):
                got = [await anext(rows) for _ in range(stop_after)]
                await rows.aclose()
                db.note_exit("aclose() returned")
                await rows.aclose()  # a second aclose() of a finished generator does nothing
        finally:
            await close_quietly(rows)
        assert got == USERS[:stop_after], f"stream_rows yielded {got}, expected {USERS[:stop_after]}"
        assert db.at_exit[1] == db.at_exit[0] == min(stop_after, 1), (
            f"the consumer read {stop_after} row(s) and called aclose(); by the time it returned, "
            f"{db.at_exit[0]} connection(s) had been opened and close() called {db.at_exit[1]} "
            f"time(s) (the database saw {db.log.events}): close exactly the connection you opened"
        )
        assert db.close_calls == db.at_exit[1], "close() was called again after aclose() returned"
    db = FakeDatabase(USERS[:1])
    async with asyncio.timeout(DEADLINE):
        got = [row async for row in student.stream_rows(db.connect, QUERY)]
    assert db.close_calls == 1, (
        f"after reading every row, close() was called {db.close_calls} times: call it once, on "
        f"one way out only (`finally` covers the normal end too)"
    )


# -- first_rows ---------------------------------------------------------------------------------------


async def call_first_rows(student, db, n, parse=name):
    try:
        return await student.first_rows(db.connect, QUERY, n, parse)
    finally:
        db.note_exit("first_rows ended")


@pytest.mark.points(1)
async def test_first_rows_reads_only_the_rows_it_needs(student):
    for n in (1, 3, len(USERS), len(USERS) + 2):
        db = FakeDatabase(USERS)
        async with asyncio.timeout(DEADLINE):
            names = await call_first_rows(student, db, n)
        expected = [name(row) for row in USERS[:n]]
        assert names == expected, f"first_rows(..., n={n}, ...) returned {names!r}, expected {expected!r}"
        needed = min(n, len(USERS) + 1)  # the whole table needs one more fetch to see its end
        assert db.fetches == needed, (
            f"first_rows(..., n={n}, ...) on a table of {len(USERS)} rows made {db.fetches} "
            f"fetchone() calls; it needs {needed}: stop reading as soon as you have n rows"
        )
        assert db.at_exit == (1, 1), (
            f"first_rows(..., n={n}, ...) returned with {db.at_exit[0]} connection(s) opened and "
            f"close() called {db.at_exit[1]} time(s): it must have closed it (once) before returning"
        )


@pytest.mark.points(1)
async def test_first_rows_parse_error_closes_before_raising(student):
    db = FakeDatabase(USERS)
    error = ValueError("cannot parse row 2")

    def picky(row):
        if row[0] == 2:
            raise error
        return name(row)

    raised = None
    try:
        async with asyncio.timeout(DEADLINE):
            await call_first_rows(student, db, 4, picky)
    except Exception as exc:
        raised = exc
    await asyncio.sleep(1)  # let anything it left behind happen before we look
    assert raised is error, (
        f"parse raised ValueError on the second row, but first_rows "
        f"{'returned normally' if raised is None else f'raised {raised!r}'}: let it propagate"
    )
    assert db.at_exit == (1, 1), (
        f"parse raised on the second row; when that error left first_rows, close() had been called "
        f"{db.at_exit[1]} time(s) (the database saw {db.log.events}). The generator was left "
        f"waiting at its `yield` with the connection open: close it on every way out of "
        f"first_rows (`async with contextlib.aclosing(...)`)"
    )


@pytest.mark.points(1)
async def test_first_rows_cancelled_at_each_await_closes_once(student):
    def scenario():
        db = FakeDatabase(USERS)
        return call_first_rows(student, db, 3), db

    runs = await cancel_at_each_await(scenario)
    check_cancel_runs(runs, "first_rows(..., n=3, ...)")
    assert runs[-1].result == ["ada", "grace", "edsger"], f"first_rows returned {runs[-1].result!r}"
