"""`Pages.__anext__` delegates to an async generator the object creates (but does not start).

Correct variant: creating an async generator runs none of its body, so nothing is fetched before
the first `__anext__`; `__anext__` is a plain method returning the generator's awaitable, which is
all `anext()` and `async for` need. `pages()` counts pages with `itertools.count`.
"""

import itertools


async def pages(fetch_page):
    """Every item of every page, in order, one page at a time."""
    for number in itertools.count():
        page = await fetch_page(number)
        if len(page) == 0:
            return
        for item in page:
            yield item


class Pages:
    """An async iterator that hands out the items of the generator above."""

    def __init__(self, fetch_page):
        self._items = pages(fetch_page)

    def __aiter__(self):
        return self

    def __anext__(self):
        """An awaitable for the next item (the generator raises StopAsyncIteration at the end)."""
        return self._items.__anext__()
