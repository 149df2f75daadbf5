"""Public tests for as_completed_progress: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time, and `now()` reads the event
loop's clock exactly.
"""

import asyncio

import pytest

pytestmark = pytest.mark.exercise("as_completed_progress")


class WorkError(Exception):
    """What a failing work(item) raises."""


class RecordingFile:
    """A file-like object that keeps everything tqdm writes to it."""

    def __init__(self):
        self.chunks = []

    def write(self, text):
        self.chunks.append(text)

    def flush(self):
        pass

    def final_state(self):
        """The bar as last drawn: the last non-empty piece between carriage returns/newlines."""
        pieces = "".join(self.chunks).replace("\n", "\r").split("\r")
        drawn = [p.strip() for p in pieces if p.strip()]
        return drawn[-1] if drawn else ""


def make_work(delays, failing, raised):
    async def work(item):
        await asyncio.sleep(delays[item])
        if item in failing:
            raised[item] = WorkError(f"{item} failed")
            raise raised[item]
        return item.upper()

    return work


@pytest.mark.points(3)
async def test_results_and_errors_by_item(student):
    raised = {}
    work = make_work({"x": 3.0, "y": 1.0, "z": 2.0}, {"z"}, raised)
    seen = []
    try:
        async with asyncio.timeout(60):
            results, errors = await student.process_all(
                ["x", "y", "z"],
                work,
                on_result=lambda item, value: seen.append(item),
                file=RecordingFile(),
            )
    except TimeoutError:
        pytest.fail("process_all(['x', 'y', 'z'], ...) was still running after 60 s")
    assert results == {"x": "X", "y": "Y"}, (
        f"results were {results!r}; expected {{'x': 'X', 'y': 'Y'}}: each successful item maps "
        f"to what work(item) returned for *that* item (z failed)"
    )
    assert set(errors) == {"z"}, (
        f"errors were {errors!r}; expected {{'z': <the exception work('z') raised>}}: a failure "
        f"is stored under the item that raised it"
    )
    assert errors["z"] is raised["z"], (
        f"errors['z'] was {errors['z']!r}; store the very exception object work('z') raised"
    )
    assert sorted(seen) == ["x", "y"], f"on_result was called for {seen}; expected once for x and y"


@pytest.mark.points(2)
async def test_progress_bar_ends_full(student):
    raised = {}
    items = ["a", "b", "c", "d"]
    work = make_work({"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0}, {"b"}, raised)
    out = RecordingFile()
    try:
        async with asyncio.timeout(60):
            await student.process_all(items, work, on_result=lambda item, value: None, file=out)
    except TimeoutError:
        pytest.fail("process_all of 4 items was still running after 60 s")
    final = out.final_state()
    assert final, "nothing was written to `file`: create the tqdm bar with file=file"
    assert "4/4" in final, (
        f"the progress bar's last state was {final!r}; it should show 4/4: total=len(items), "
        f"advanced once for every item that finished, failed ones included, then closed"
    )
