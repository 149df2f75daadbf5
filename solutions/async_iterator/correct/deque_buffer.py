"""A deque buffer per page, popped from the left; `pages()` re-yields the items of a `Pages`.

Correct variant: the buffer's emptiness (not an item's truthiness) says the page is used up, and
the async generator simply delegates to the hand-written iterator.
"""

from collections import deque


class Pages:
    """An async iterator over every item of a paginated source, fetched lazily page by page."""

    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._next_page = 0
        self._buffer = deque()
        self._finished = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        """The next item, fetching a page only when the buffer is empty."""
        if not self._buffer:  # the deque's length, never an item, decides
            if self._finished:
                raise StopAsyncIteration
            page = await self._fetch_page(self._next_page)
            if not page:
                self._finished = True
                raise StopAsyncIteration
            self._next_page += 1
            self._buffer.extend(page)
        return self._buffer.popleft()


async def pages(fetch_page):
    """The same items, as an async generator built on `Pages`."""
    async for item in Pages(fetch_page):
        yield item
