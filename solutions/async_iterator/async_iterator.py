"""Implementing async iterators: every item of a paginated source, fetched one page at a time.

Reference solution. ``fetch_page(n)`` is an async callable returning page ``n`` (0, 1, 2, ...) as a
list of items; the first empty list marks the end. Both ``Pages`` (the protocol written by hand) and
``pages`` (an async generator) hand out the items in order and fetch a page only when it is needed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

FetchPage = Callable[[int], Awaitable[list[Any]]]


class Pages:
    """An async iterator over every item of a paginated source, fetched lazily page by page."""

    def __init__(self, fetch_page: FetchPage) -> None:
        # Nothing is fetched here: __init__ cannot await, and a consumer that never iterates
        # must not cost a single request.
        self._fetch_page = fetch_page
        self._next_page = 0
        self._items: list[Any] = []
        self._index = 0  # position in _items; the page is used up when it reaches len(_items)
        self._done = False

    def __aiter__(self) -> Pages:
        # An iterator is its own iterable: `async for` calls this once and then awaits __anext__.
        return self

    async def __anext__(self) -> Any:
        """The next item; fetches the next page only when the current one is used up."""
        if self._index == len(self._items):
            # Remember the end: calling again must not ask the source for more pages.
            if self._done:
                raise StopAsyncIteration
            page = await self._fetch_page(self._next_page)
            # The page's length decides, never an item's truthiness: 0, None, "" are items too.
            if len(page) == 0:
                self._done = True
                # StopAsyncIteration, not StopIteration: inside a coroutine Python turns a
                # StopIteration into a RuntimeError.
                raise StopAsyncIteration
            # Only advance once the page has arrived: if fetch_page raised, its exception has
            # already propagated to the consumer untouched.
            self._next_page += 1
            self._items, self._index = page, 0
        item = self._items[self._index]
        self._index += 1
        return item


async def pages(fetch_page: FetchPage) -> AsyncIterator[Any]:
    """The same iteration as ``Pages``, written as an async generator."""
    page_number = 0
    while True:
        # The generator only runs up to here when the consumer asks for an item, so each page
        # is fetched when the previous one's items have all been handed out, not before.
        page = await fetch_page(page_number)
        if len(page) == 0:
            # Returning ends the generator: Python raises StopAsyncIteration for us, now and on
            # every later call, without running this body again.
            return
        for item in page:
            yield item
        page_number += 1
