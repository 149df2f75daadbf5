"""Public tests for async_iterator: run them with `make check`.

Each behaviour is checked twice: once for the class `Pages` and once for the generator `pages()`.
`fetch_page` is replaced by `PagedSource`, a fake paginated API that records which pages were
asked for, so the tests can see exactly when your code fetches.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
from typing import Any

import pytest

from grader.testing import EventLog

pytestmark = pytest.mark.exercise("async_iterator")

FORMS = pytest.mark.parametrize("form", ["Pages", "pages"])


class PagedSource:
    """A fake paginated API: `await source(n)` returns page n (a list) after one virtual second."""

    def __init__(self, pages: list[list[Any]]) -> None:
        self.pages = pages
        self.log = EventLog()

    async def __call__(self, n: int) -> list[Any]:
        self.log("fetch", n)
        await asyncio.sleep(1)  # a real API makes you wait: the iterator must await us
        if isinstance(n, int) and 0 <= n < len(self.pages):
            return list(self.pages[n])
        return []  # the first empty page marks the end

    @property
    def fetched(self) -> list[int]:
        """The page numbers asked for so far, in order."""
        return [event[1] for event in self.log.events]


def open_iterator(student: Any, form: str, source: PagedSource) -> Any:
    """`Pages(source)` or `pages(source)`, ready for `anext()` and `async for`."""
    if form == "pages":
        if not inspect.isasyncgenfunction(student.pages):
            pytest.fail("`pages` must be an async generator function: an `async def` with `yield` "
                        "in its body.", pytrace=False)
        return student.pages(source)
    pages = student.Pages(source)
    iterator = pages.__aiter__()
    if inspect.iscoroutine(iterator):
        iterator.close()
        pytest.fail("`async for` calls `__aiter__` without awaiting it: declare it with a plain "
                    "`def __aiter__(self): return self`, not `async def`.", pytrace=False)
    return iterator


class Reader:
    """Holds the iterator for a test that stops early, and closes it afterwards."""

    def __init__(self, iterator: Any) -> None:
        self.iterator = iterator

    async def next(self) -> Any:
        """`await anext(iterator)`, with a time limit in case it never answers."""
        async with asyncio.timeout(60):
            return await anext(self.iterator)

    async def close(self) -> None:
        """Close a generator we stopped early, so nothing it started outlives the test."""
        aclose = getattr(self.iterator, "aclose", None)
        self.iterator = None
        if aclose is not None:
            await aclose()
        gc.collect()  # a generator dropped half-way is closed by the loop: let that run now
        for _ in range(5):
            await asyncio.sleep(0)


@FORMS
@pytest.mark.points(0.5)
async def test_yields_every_item_in_order(student, form):
    source = PagedSource([["a", "b"], ["c"], ["d", "e", "f"]])
    items = []
    try:
        async with asyncio.timeout(60):
            async for item in open_iterator(student, form, source):
                items.append(item)
    except TimeoutError:
        pytest.fail(f"`async for` over {form} was still running after 60 s (simulated), having "
                    f"received {len(items)} items: end the iteration at the first empty page.",
                    pytrace=False)
    except RuntimeError as exc:
        if isinstance(exc.__cause__, StopIteration):
            pytest.fail(f"{form} raised StopIteration, which becomes a RuntimeError inside a "
                        f"coroutine: raise StopAsyncIteration to end an async iterator.",
                        pytrace=False)
        raise
    assert items == ["a", "b", "c", "d", "e", "f"], (
        f"`async for` over {form} gave {items}; expected every item of every page, in order, "
        f"ending at the first empty page."
    )


@FORMS
@pytest.mark.points(0.5)
async def test_nothing_is_fetched_before_it_is_needed(student, form):
    source = PagedSource([["a", "b"], ["c"]])
    reader = Reader(open_iterator(student, form, source))
    try:
        await asyncio.sleep(1)  # time for any background work to start fetching
        assert source.fetched == [], (
            f"{form} fetched pages {source.fetched} before any item was asked for: fetch inside "
            f"`__anext__` (or the generator's body), when the first item is requested."
        )
        first = await reader.next()
        assert first == "a", f"the first item of {form} was {first!r}; expected 'a'"
        await asyncio.sleep(1)
        assert source.fetched == [0], (
            f"to hand out the first item, {form} fetched pages {source.fetched}; only page 0 is "
            f"needed. Fetch the next page only when the current page's items are used up."
        )
    finally:
        await reader.close()


@pytest.mark.points(1)
def test_pages_is_an_async_generator_function(student):
    if not inspect.isasyncgenfunction(student.pages):
        pytest.fail(
            "`pages` must be an async generator function: `async def pages(fetch_page):` with "
            "`yield item` in its body. An `async def` that returns a list is a coroutine: it "
            "fetches every page before the caller sees one item, and `async for` cannot "
            "iterate it.",
            pytrace=False,
        )
