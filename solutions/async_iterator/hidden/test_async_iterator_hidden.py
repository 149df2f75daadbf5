"""Hidden grader for async_iterator: laziness, falsy items, the end, errors, early exits, state.

Every behaviour is checked for both forms, the class ``Pages`` and the async generator ``pages``.
The student's ``fetch_page`` is ``PagedSource``, a fake API that logs every page asked for and
takes one virtual second to answer; after every step the test lets virtual time pass, so a page
fetched ahead of time, even by a background task, shows up in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import inspect
from collections.abc import AsyncIterator
from typing import Any

import pytest

from grader.testing import EventLog

pytestmark = pytest.mark.exercise("async_iterator")

FORMS = pytest.mark.parametrize("form", ["Pages", "pages"])
LABELS = {"Pages": "`Pages`", "pages": "`pages()`"}
END = "<the end: StopAsyncIteration>"
STEP_WAIT = 10  # virtual seconds to let background work show itself between steps
CALL_TIMEOUT = 60  # virtual seconds: instant, and a hang ends as a TimeoutError


class FetchFailedError(Exception):
    """What the fake API raises when a page cannot be fetched."""


class PagedSource:
    """A fake paginated API: ``await source(n)`` returns a copy of page n after one virtual second.

    Pages past the given ones are empty (the first empty page marks the end). ``fail_at`` makes
    that page raise ``error`` instead.
    """

    def __init__(self, pages: list[list[Any]], *, fail_at: int | None = None,
                 error: BaseException | None = None) -> None:
        self.pages = pages
        self.fail_at = fail_at
        self.error = error
        self.log = EventLog()

    async def __call__(self, n: int) -> list[Any]:
        self.log("fetch", n)
        await asyncio.sleep(1)
        if n == self.fail_at and self.error is not None:
            raise self.error
        if isinstance(n, int) and 0 <= n < len(self.pages):
            return list(self.pages[n])  # a copy: the student may consume it as they like
        return []

    @property
    def fetched(self) -> list[int]:
        """The page numbers asked for so far, in order."""
        return [event[1] for event in self.log.events]


class Reader:
    """Pulls items from the student's iterator as ``async for`` does: one ``anext()`` at a time."""

    def __init__(self, iterator: Any, label: str) -> None:
        self.iterator = iterator
        self.label = label

    async def take(self) -> Any:
        """The next item, or ``END`` if the iterator raised StopAsyncIteration."""
        try:
            async with asyncio.timeout(CALL_TIMEOUT):
                return await anext(self.iterator)
        except StopAsyncIteration:
            return END
        except TimeoutError:
            pytest.fail(
                f"`anext()` on {self.label} was still waiting after {CALL_TIMEOUT} s (simulated): "
                f"it never returned an item nor raised StopAsyncIteration (an endless loop around "
                f"an `await`?).",
                pytrace=False,
            )
        except RuntimeError as exc:
            if isinstance(exc.__cause__, StopIteration):
                pytest.fail(
                    f"{self.label} raised StopIteration, which Python turns into a RuntimeError "
                    f"inside a coroutine. To say there are no more items, raise "
                    f"StopAsyncIteration (a generator simply returns).",
                    pytrace=False,
                )
            raise

    async def close(self) -> None:
        """Close the iterator and let anything it abandoned finish, so no task outlives the test."""
        aclose = getattr(self.iterator, "aclose", None)
        self.iterator = None
        if aclose is not None:
            async with asyncio.timeout(CALL_TIMEOUT):
                await aclose()
        # An async generator dropped half-way is closed by the loop in a task of its own: let
        # that task run now rather than have it reported as left running.
        gc.collect()
        for _ in range(5):
            await asyncio.sleep(0)


def _open(student: Any, form: str, source: PagedSource) -> Any:
    if form == "pages":
        if not inspect.isasyncgenfunction(student.pages):
            pytest.fail(
                "`pages` must be an async generator function: an `async def` with `yield` in its "
                "body (yours has no `yield`, so calling it makes a coroutine, not an iterator).",
                pytrace=False,
            )
        return student.pages(source)
    obj = student.Pages(source)
    if not hasattr(type(obj), "__anext__"):
        pytest.fail(
            "`Pages` must define `async def __anext__(self)`, which returns the next item or "
            "raises StopAsyncIteration.",
            pytrace=False,
        )
    iterator = obj.__aiter__()
    if inspect.iscoroutine(iterator):
        iterator.close()
        pytest.fail(
            "`Pages.__aiter__` is an `async def`, but `async for` calls it without awaiting: "
            "make it a plain `def __aiter__(self): return self`.",
            pytrace=False,
        )
    if iterator is not obj:
        pytest.fail(
            "`Pages.__aiter__` must return the iterator itself (`return self`): a `Pages` object "
            "is its own async iterator.",
            pytrace=False,
        )
    return iterator


@contextlib.asynccontextmanager
async def reading(student: Any, form: str, source: PagedSource) -> AsyncIterator[Reader]:
    """A ``Reader`` over ``Pages(source)`` or ``pages(source)``, closed on the way out."""
    reader = Reader(_open(student, form, source), LABELS[form])
    try:
        yield reader
    finally:
        await reader.close()


def _explain_fetches(label: str, after: str, fetched: list[int], expected: list[int],
                     *, at_end: bool = False) -> str:
    message = (f"{label}: {after}, fetch_page had been called for pages {fetched}; "
               f"expected {expected}.")
    if at_end and fetched[:len(expected)] == expected and len(fetched) > len(expected):
        return message + " The first empty page is the end: fetch nothing after it."
    if len(set(fetched)) < len(fetched):
        return message + (" Each page must be fetched once: keep the page you fetched and your "
                          "position in it until its items are used up.")
    if fetched[:len(expected)] == expected:
        return message + (" Fetch the next page only when the current page's items are used up "
                          "AND the consumer asks for another item: a consumer that stops early "
                          "must not pay for pages it never uses.")
    if expected and expected[0] == 0 and 0 not in fetched:
        return message + " Pages are numbered from 0: the first page is `fetch_page(0)`."
    return message + " Ask for the pages in order, 0, 1, 2, ..., one at a time."


async def _settle() -> None:
    # Virtual time passes instantly: anything fetched ahead, even by a task, is now in the log.
    await asyncio.sleep(STEP_WAIT)


def _typed(items: list[Any]) -> list[tuple[str, Any]]:
    # 0 == False and 1 == True for ==: compare the types as well to see which item came out.
    return [(type(item).__name__, item) for item in items]


@FORMS
@pytest.mark.points(1)
async def test_fetches_each_page_just_in_time(student, form):
    label = LABELS[form]
    source = PagedSource([[1, 2, 3], [4], [5, 6]])
    async with reading(student, form, source) as reader:
        await _settle()
        assert source.fetched == [], _explain_fetches(
            label, "before any item was asked for", source.fetched, []
        ) + " Creating the iterator (and calling `aiter()` on it) must not fetch anything."
        plan = [(1, [0]), (2, [0]), (3, [0]), (4, [0, 1]), (5, [0, 1, 2]), (6, [0, 1, 2]),
                (END, [0, 1, 2, 3])]
        taken: list[Any] = []
        for expected_item, expected_fetched in plan:
            item = await reader.take()
            taken.append(item)
            assert item == expected_item, (
                f"{label} handed out {taken} so far; expected {[i for i, _ in plan][:len(taken)]} "
                f"(pages [1, 2, 3], [4], [5, 6], then an empty page)."
            )
            await _settle()
            assert source.fetched == expected_fetched, _explain_fetches(
                label, f"after the consumer received {taken}", source.fetched, expected_fetched
            )


@FORMS
@pytest.mark.points(0.5)
async def test_falsy_items_are_yielded(student, form):
    label = LABELS[form]
    pages = [[0, None, ""], [False], [[], 0.0, {}], [None]]
    expected = [item for page in pages for item in page]
    source = PagedSource(pages)
    async with reading(student, form, source) as reader:
        items = []
        while (item := await reader.take()) is not END:
            items.append(item)
            assert len(items) <= len(expected), (
                f"{label} handed out {items!r}, more items than pages {pages!r} hold"
            )
    assert _typed(items) == _typed(expected), (
        f"{label} handed out {items!r} for pages {pages!r}; expected {expected!r}. `0`, `None`, "
        f"`''`, `False` and `[]` are items like any other: decide that a page is used up by its "
        f"length (or an index), never by testing an item for truthiness or for None."
    )
    assert source.fetched == [0, 1, 2, 3, 4], _explain_fetches(
        label, "after the last item", source.fetched, [0, 1, 2, 3, 4]
    )


@FORMS
@pytest.mark.points(0.5)
async def test_stays_exhausted_without_fetching_again(student, form):
    label = LABELS[form]
    for pages, items, fetched in (([], [], [0]), ([[7]], [7], [0, 1])):
        source = PagedSource(pages)
        async with reading(student, form, source) as reader:
            got = [await reader.take() for _ in items]
            assert got == items, f"{label} handed out {got} for pages {pages}; expected {items}"
            result = await reader.take()
            assert result is END, (
                f"{label} over pages {pages} gave {result!r} after the items; expected "
                f"StopAsyncIteration (the first empty page is the end)."
            )
            await _settle()
            assert source.fetched == fetched, _explain_fetches(
                label, f"to reach the end of pages {pages}", source.fetched, fetched, at_end=True
            )
            for attempt in range(1, 3):
                result = await reader.take()
                assert result is END, (
                    f"{label} over pages {pages}: after StopAsyncIteration, calling `anext()` "
                    f"again gave {result!r}; it must raise StopAsyncIteration again."
                )
                await _settle()
                assert source.fetched == fetched, (
                    f"{label} over pages {pages}: after the end, calling `anext()` {attempt} more "
                    f"time(s) made fetch_page calls for pages {source.fetched[len(fetched):]}. "
                    f"Once the end is reached, remember it (a `done` flag) and keep raising "
                    f"StopAsyncIteration without calling fetch_page again."
                )


@FORMS
@pytest.mark.points(0.5)
async def test_fetch_error_reaches_the_consumer(student, form):
    label = LABELS[form]
    error = FetchFailedError("page 1: 503 Service Unavailable")
    source = PagedSource([[1, 2], [3]], fail_at=1, error=error)
    async with reading(student, form, source) as reader:
        try:
            got = [await reader.take(), await reader.take()]
        except FetchFailedError:
            pytest.fail(
                f"fetch_page(1) raised while the consumer was still asking for the items of page "
                f"0, so it never received them: {label} fetched page 1 too early. Fetch it only "
                f"when page 0's items are used up and another item is asked for.",
                pytrace=False,
            )
        assert got == [1, 2], f"{label} handed out {got} before page 1; expected [1, 2]"
        raised: BaseException | None = None
        try:
            result = await reader.take()
        except FetchFailedError as exc:
            raised = exc
        except Exception as exc:
            pytest.fail(
                f"when fetch_page(1) raised FetchFailedError, the consumer received "
                f"{type(exc).__name__}: {exc}. Let fetch_page's exception propagate unchanged: do "
                f"not catch it, or re-raise it as it is (`raise`).",
                pytrace=False,
            )
        else:
            pytest.fail(
                f"when fetch_page(1) raised FetchFailedError, {label} gave "
                f"{'StopAsyncIteration' if result is END else repr(result)} instead: the consumer "
                f"must see the error, not a shorter list of items. Do not catch fetch_page's "
                f"exception (or re-raise it).",
                pytrace=False,
            )
    assert raised is error, (
        f"{label} raised a new FetchFailedError: let fetch_page's own exception propagate as it is."
    )


@FORMS
@pytest.mark.points(0.5)
async def test_breaking_out_early_fetches_nothing_more(student, form):
    label = LABELS[form]
    source = PagedSource([[1, 2], [3, 4], [5]])
    async with reading(student, form, source) as reader:
        got = []
        async with asyncio.timeout(CALL_TIMEOUT):
            async for item in reader.iterator:
                got.append(item)
                if item == 2:
                    break
        assert got == [1, 2], f"`async for` over {label} gave {got}; expected [1, 2] first"
        await _settle()
        assert source.fetched == [0], _explain_fetches(
            label, "when the consumer broke out of `async for` after item 2 (the last of page 0)",
            source.fetched, [0],
        )


@FORMS
@pytest.mark.points(0.5)
async def test_iterators_do_not_share_state(student, form):
    label = LABELS[form]
    numbers = PagedSource([[1, 2], [3]])
    letters = PagedSource([["x"], ["y", "z"]])
    async with reading(student, form, numbers) as first, reading(student, form, letters) as second:
        got: dict[str, list[Any]] = {"numbers": [], "letters": []}
        pending = {"numbers": first, "letters": second}
        while pending:  # alternate between the two, as two consumers at once would
            for name, reader in list(pending.items()):
                item = await reader.take()
                if item is END or len(got[name]) > 3:
                    del pending[name]
                else:
                    got[name].append(item)
    expected = {"numbers": [1, 2, 3], "letters": ["x", "y", "z"]}
    where = (
        "in instance attributes set in `__init__` (a list assigned in the class body is shared "
        "by every instance)" if form == "Pages"
        else "in local variables of the generator, not in globals"
    )
    assert got == expected, (
        f"two {label} iterators used side by side gave {got}; expected {expected}. Each iterator "
        f"must keep its own page, position and end {where}."
    )
    for source in (numbers, letters):
        assert source.fetched == [0, 1, 2], (
            f"two {label} iterators used side by side fetched pages {numbers.fetched} and "
            f"{letters.fetched} from their sources; expected [0, 1, 2] each."
        )
