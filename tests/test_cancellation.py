"""cancel_at_each_await: a cancellation lands on each suspension point in turn, deterministically."""

from __future__ import annotations

import asyncio

from grader.testing import (
    EventLog,
    cancel_at_each_await,
    count_suspensions,
    now,
    run_cancelled_after,
)


async def three_steps(log: EventLog) -> str:
    try:
        for i in range(3):
            log("step", i)
            await asyncio.sleep(1)
        return "done"
    finally:
        log("cleanup")


async def test_every_suspension_point_is_visited_once() -> None:
    logs: list[EventLog] = []

    def scenario():
        log = EventLog()
        logs.append(log)
        return three_steps(log), log

    runs = await cancel_at_each_await(scenario)
    assert [(r.point, r.reached, r.cancelled) for r in runs] == [
        (1, True, True),
        (2, True, True),
        (3, True, True),
        (4, False, False),
    ]
    assert runs[-1].result == "done"
    # cancelled at point k: exactly k steps began, and the cleanup ran once every time
    assert [log.events for log in logs[:3]] == [
        [("step", 0), ("cleanup",)],
        [("step", 0), ("step", 1), ("cleanup",)],
        [("step", 0), ("step", 1), ("step", 2), ("cleanup",)],
    ]


async def test_cancellation_lands_on_its_point_even_when_the_awaited_thing_is_ready() -> None:
    # sleep(0) suspends with nothing to wait for: the task would resume in the same loop turn.
    async def spins(log: EventLog) -> None:
        for i in range(3):
            log("before", i)
            await asyncio.sleep(0)
        log("end")

    def scenario():
        log = EventLog()
        return spins(log), log

    runs = await cancel_at_each_await(scenario)
    assert [r.context.events[-1] for r in runs] == [("before", 0), ("before", 1), ("before", 2), ("end",)]


async def test_a_coroutine_that_swallows_cancellation_is_reported_not_waited_for_forever() -> None:
    async def stubborn() -> str:
        while True:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                continue  # the mistake under test

    runs = await cancel_at_each_await(stubborn, max_points=3, wait=10)
    run = runs[0]
    assert (run.hung, run.cancelled) == (True, False)
    assert run.describe() == "it swallowed the cancellation and kept running"


async def test_returning_instead_of_propagating_is_described() -> None:
    async def swallow() -> int:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            return 7
        return 0

    runs = await cancel_at_each_await(swallow)
    assert runs[0].describe() == "it returned 7 instead of ending cancelled"


async def test_count_suspensions_counts_real_suspensions_only() -> None:
    async def one_real_await() -> str:
        await asyncio.sleep(2)
        return "x"

    assert await count_suspensions(one_real_await) == (1, "x")
    assert now() == 2.0


async def test_run_cancelled_after_waits_for_the_ready_signal() -> None:
    ready = asyncio.Event()
    log = EventLog()

    async def worker() -> None:
        try:
            await asyncio.sleep(5)
            ready.set()
            await asyncio.sleep(5)
        finally:
            log("cleanup", now())

    task = await run_cancelled_after(worker, ready)
    assert task.cancelled()
    assert log.events == [("cleanup", 5.0)]
