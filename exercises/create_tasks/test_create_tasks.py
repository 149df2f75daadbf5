"""Public tests for create_tasks: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time, and `now()` reads the event
loop's clock exactly (a sleep of 0.5 s ends at `now() == 0.5`).
"""

import asyncio

import pytest

from grader.testing import EventLog, now

pytestmark = pytest.mark.exercise("create_tasks")


@pytest.mark.points(1)
async def test_prefetch_returns_every_value_by_key(student):
    async def fetch(key):
        await asyncio.sleep(1.0)
        return key.upper()

    try:
        async with asyncio.timeout(10):
            values = await student.prefetch(["red", "green", "blue"], fetch)
    except TimeoutError:
        pytest.fail("prefetch(['red', 'green', 'blue'], fetch) was still running after 10 s")
    assert values == {"red": "RED", "green": "GREEN", "blue": "BLUE"}, (
        f"prefetch returned {values!r}; expected {{'red': 'RED', 'green': 'GREEN', 'blue': 'BLUE'}}, "
        f"what fetch(key) returned for each key"
    )


@pytest.mark.points(1)
async def test_prefetch_starts_every_fetch_before_any_finishes(student):
    log = EventLog()

    async def fetch(key):
        log("start", key)
        await asyncio.sleep(1.0)
        log("done", key)
        return key

    keys = ["a", "b", "c", "d"]
    try:
        async with asyncio.timeout(10):
            await student.prefetch(keys, fetch)
    except TimeoutError:
        pytest.fail("prefetch of 4 keys was still running after 10 s; each fetch takes 1 s")
    first = log.names()[: len(keys)]
    assert first == ["start"] * len(keys), (
        f"the fetches ran in this order: {log.events}. Every fetch should have started before the "
        f"first one finished: create a task for each first, and only then await them"
    )
    assert now() == 1.0, f"prefetch of 4 one-second fetches took {now()} s; all at once take 1.0 s"


@pytest.mark.points(1)
async def test_background_keeps_its_tasks_and_waits_for_them(student):
    log = EventLog()

    async def job(name, seconds):
        log("start", name)
        await asyncio.sleep(seconds)
        log("done", name)

    bg = student.Background()
    first = bg.start(job("backup", 1.0))
    second = bg.start(job("report", 2.0))
    assert isinstance(first, asyncio.Task), (
        f"Background.start returned {first!r}; it should return the asyncio.Task it created"
    )
    kept = [task in bg.tasks for task in (first, second)]
    assert kept == [True, True], (
        "right after Background.start, the task it returned should be in `bg.tasks`: the event "
        "loop keeps only a weak reference to a task, so the keeper must hold a strong one"
    )
    await asyncio.sleep(0.5)
    assert log.events == [("start", "backup"), ("start", "report")], (
        f"half a second after two start() calls, the jobs had done this: {log.events}; a task "
        f"starts running on its own at the loop's next turn, without anyone awaiting it"
    )
    try:
        async with asyncio.timeout(10):
            await bg.wait()
    except TimeoutError:
        pytest.fail("bg.wait() was still running after 10 s; the jobs take 1 and 2 s")
    assert (now(), log.count("done")) == (2.0, 2), (
        f"bg.wait() returned at {now()} s with {log.count('done')} of the 2 jobs done; it should "
        f"wait until every task started so far has finished (the last one ends at 2.0 s)"
    )
    assert len(bg.tasks) == 0, (
        f"after bg.wait(), `bg.tasks` still holds {len(bg.tasks)} finished task(s): remove each "
        f"task from it as soon as it is done"
    )
