"""A plain iterator over the current page with a private sentinel; `pages()` uses a walrus loop.

Correct variant: `next(it, _NO_ITEM)` cannot mistake a `None` item for the end because the sentinel
is an object nobody else has. The generator tests the page (a list), never an item.
"""

_NO_ITEM = object()


class Pages:
    """An async iterator over every item of a paginated source, fetched lazily page by page."""

    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._page_number = 0
        self._current = iter(())
        self._exhausted = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        """The next item of the current page, or of the next page once this one is used up."""
        item = next(self._current, _NO_ITEM)
        if item is not _NO_ITEM:
            return item
        if self._exhausted:
            raise StopAsyncIteration
        page = await self._fetch_page(self._page_number)
        if not page:
            self._exhausted = True
            raise StopAsyncIteration
        self._page_number += 1
        self._current = iter(page)
        # A fetched page that is not empty has a first item: hand it out now.
        return next(self._current)


async def pages(fetch_page):
    """The same items, as an async generator."""
    number = 0
    while page := await fetch_page(number):
        for item in page:
            yield item
        number += 1
