"""Hidden grader for as_completed_progress.

The work double sleeps a per-item virtual delay and logs when it finishes; on_result logs the
virtual time it was called at. Verdicts rest on the whole event log and exact virtual times.
"""

import asyncio

import pytest

from grader.testing import EventLog, now

pytestmark = pytest.mark.exercise("as_completed_progress")

DEADLINE = 60


class WorkError(Exception):
    """What a failing work(item) raises."""


class NullFile:
    """Swallows what tqdm writes."""

    def write(self, text):
        pass

    def flush(self):
        pass


def make_work(delays, log, failing=(), raised=None):
    async def work(item):
        await asyncio.sleep(delays[item])
        if item in failing:
            log("failed", item)
            raised[item] = WorkError(f"{item}: backend unavailable")
            raise raised[item]
        log("done", item)
        return f"value of {item}"

    return work


async def run(student, items, work, log):
    def on_result(item, value):
        log("on_result", item, value, now())

    try:
        async with asyncio.timeout(DEADLINE):
            return await student.process_all(items, work, on_result=on_result, file=NullFile())
    except TimeoutError:
        pytest.fail(f"process_all of {len(items)} items was still running after {DEADLINE} s", pytrace=False)


@pytest.mark.points(3)
async def test_on_result_as_each_item_finishes(student):
    log = EventLog()
    delays = {"slow": 3.0, "mid": 2.0, "fast": 1.0}
    await run(student, ["slow", "mid", "fast"], make_work(delays, log), log)
    expected = []
    for item in ["fast", "mid", "slow"]:
        expected += [("done", item), ("on_result", item, f"value of {item}", delays[item])]
    assert log.events == expected, (
        f"with work taking 3 s, 2 s and 1 s for items slow, mid, fast, this happened: "
        f"{log.events}. Expected each item's on_result(item, its own value) right after its work "
        f"finished, at the moment it finished: fast at 1.0 s, mid at 2.0 s, slow at 3.0 s, not "
        f"after slower items or in the order of items"
    )


@pytest.mark.points(2)
async def test_one_failure_loses_no_other_item(student):
    log = EventLog()
    raised = {}
    delays = {"a": 1.0, "bad": 2.0, "c": 3.0, "d": 4.0}
    work = make_work(delays, log, failing={"bad"}, raised=raised)
    results, errors = await run(student, ["a", "bad", "c", "d"], work, log)
    assert results == {k: f"value of {k}" for k in ("a", "c", "d")}, (
        f"results were {results!r}: when item 'bad' fails at 2 s, a, c and d must still be in "
        f"results, each with its own value (awaiting a failed work re-raises: catch it per item)"
    )
    assert list(errors) == ["bad"], (
        f"errors were {errors!r}; expected exactly {{'bad': <the exception it raised>}}"
    )
    assert errors["bad"] is raised["bad"], (
        f"errors['bad'] was {errors['bad']!r}; store the very exception object work raised"
    )
    assert log.count("on_result") == 3, f"on_result calls: {log.count('on_result')}; expected 3"
