"""Public tests for to_thread: run them with `make check`.

Your code is handed `load`, a test double for a blocking library function: like a real database or
HTTP call, it blocks the thread that calls it, and it records whether that thread was the event
loop's own (it must not be). The tests run on a virtual clock: `asyncio.sleep` takes no real time,
except while a worker thread is busy, when the clock waits for real. The hidden tests go further:
the heartbeat during many loads, errors, the `limit`, and cancellation.
"""

import asyncio
import threading
import time

import pytest

from grader.testing import on_loop_thread

pytestmark = pytest.mark.exercise("to_thread")

DEADLINE = 60  # virtual seconds: a solution that hangs fails at once instead of hanging
THREAD_WAIT = 5.0  # real seconds a load waits for the heartbeat before giving up


class FakeLibrary:
    """A blocking library: `load(report_id)` blocks its thread and records where it ran.

    `wait_for` maps report ids to a threading.Event: that load blocks until the event is set (at
    most THREAD_WAIT seconds). On the loop thread, a load blocks for a second, as a real call would.
    """

    def __init__(self, wait_for=None):
        self.wait_for = wait_for or {}
        self.calls = []
        self.on_loop = []  # ids loaded on the event loop's thread: should stay empty
        self.gave_up = []  # ids whose load waited THREAD_WAIT for its event in vain

    def load(self, report_id):
        self.calls.append(report_id)
        if on_loop_thread():
            self.on_loop.append(report_id)
            time.sleep(1.0)  # blocking the loop: nothing else can run meanwhile
        elif report_id in self.wait_for and not self.wait_for[report_id].wait(THREAD_WAIT):
            self.gave_up.append(report_id)
        return {"id": report_id, "title": f"Report {report_id}"}


@pytest.mark.points(1)
async def test_fetch_report_returns_what_load_returned_in_a_thread(student):
    lib = FakeLibrary()
    async with asyncio.timeout(DEADLINE):
        result = await student.fetch_report(7, lib.load)
    assert lib.on_loop == [], (
        "load(7) ran on the event loop's thread: run it in a worker thread with "
        "`await asyncio.to_thread(load, report_id)` (pass the function, do not call it)"
    )
    assert lib.calls == [7], f"load was called with {lib.calls}; call it once, with the report id"
    assert result == {"id": 7, "title": "Report 7"}, (
        f"fetch_report(7, load) returned {result!r}; return what load(7) returned"
    )


@pytest.mark.points(1)
async def test_loop_keeps_running_while_load_blocks(student):
    ticked = threading.Event()  # set by a heartbeat coroutine once it has had three turns

    async def heartbeat():
        for _ in range(3):
            await asyncio.sleep(0.01)
        ticked.set()

    beating = asyncio.create_task(heartbeat())
    lib = FakeLibrary(wait_for={"r-1": ticked})  # load blocks until the heartbeat has ticked
    try:
        async with asyncio.timeout(DEADLINE):
            result = await student.fetch_report("r-1", lib.load)
    finally:
        ticked.set()  # whatever happened, let a load still waiting go
        beating.cancel()
        await asyncio.wait({beating})
    assert lib.on_loop == [], "load('r-1') ran on the event loop's thread: use asyncio.to_thread"
    assert lib.gave_up == [], (
        "while load('r-1') was blocking, the heartbeat coroutine never got a turn: the event "
        "loop was stuck waiting for the load. Await it in a worker thread with asyncio.to_thread"
    )
    assert result == {"id": "r-1", "title": "Report r-1"}, f"fetch_report returned {result!r}"


@pytest.mark.points(1)
async def test_fetch_reports_keeps_the_order_of_ids(student):
    others_done = threading.Event()  # set once load(10) and load(20) have both returned
    lib = FakeLibrary(wait_for={30: others_done})  # so load(30) finishes last
    finished = []

    def load(report_id):
        report = lib.load(report_id)
        finished.append(report_id)
        if 10 in finished and 20 in finished:
            others_done.set()
        return report

    ids = [30, 10, 20]
    try:
        async with asyncio.timeout(DEADLINE):
            results = await student.fetch_reports(ids, load, limit=2)
    finally:
        others_done.set()  # whatever happened, let a load still waiting go
    assert lib.on_loop == [], f"load({lib.on_loop[0]}) ran on the event loop's thread"
    assert lib.gave_up == [], (
        "load(30) waits until load(10) and load(20) have finished, but they did not run "
        "meanwhile: with limit=2, start the next load as soon as one finishes (not one at a "
        "time, not in batches)"
    )
    assert sorted(lib.calls) == sorted(ids), f"load was called with {lib.calls}; once per id"
    assert isinstance(results, list), f"fetch_reports returned {results!r}; return a list of reports"
    assert [r["id"] if isinstance(r, dict) else r for r in results] == ids, (
        f"fetch_reports({ids}, load, limit=2) returned {results!r}; expected the reports in the "
        f"order of ids (load(30) finished last)"
    )
