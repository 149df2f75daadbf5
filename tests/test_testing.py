"""grader.testing's helpers for graders: bounded student calls and what was left running."""

from __future__ import annotations

import asyncio

import pytest
from conftest import run_on_grading_loop as _run

from grader.testing import must_finish, other_pending_tasks


def test_must_finish_fails_in_words_at_once_when_the_call_never_ends() -> None:
    async def main() -> None:
        async with must_finish("fetch_all(urls)", within=5):
            await asyncio.Event().wait()  # nothing will ever set it

    with pytest.raises(pytest.fail.Exception, match=r"fetch_all\(urls\) was still running after 5 s"):
        _run(main)


def test_must_finish_lets_a_finished_call_and_its_errors_through() -> None:
    async def main() -> float:
        async with must_finish("fetch(url)"):
            await asyncio.sleep(1.5)
        with pytest.raises(ValueError, match="bad url"):
            async with must_finish("fetch(url)"):
                raise ValueError("bad url")
        return asyncio.get_running_loop().time()

    assert _run(main) == 1.5


def test_other_pending_tasks_lists_what_is_left_running_but_not_the_caller() -> None:
    async def main() -> tuple[int, int]:
        left = asyncio.create_task(asyncio.sleep(10))
        done = asyncio.create_task(asyncio.sleep(0))
        await done
        found = other_pending_tasks()
        left.cancel()
        await asyncio.gather(left, return_exceptions=True)
        return len(found), int(found == [left])

    assert _run(main) == (1, 1)
