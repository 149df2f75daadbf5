"""`Pages` starts its own generator on the first `__anext__` and awaits `anext()` of it.

Correct variant: the generator is created lazily and `__anext__` is a coroutine; after the end the
finished generator keeps raising StopAsyncIteration without running its body again. `pages()`
indexes each page instead of iterating over it.
"""


async def pages(fetch_page):
    """Every item of every page, in order, one page at a time."""
    number = 0
    while True:
        page = await fetch_page(number)
        if len(page) == 0:
            break
        for index in range(len(page)):
            yield page[index]
        number += 1


class Pages:
    """An async iterator over every item of a paginated source."""

    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._generator = None

    def __aiter__(self):
        return self

    async def __anext__(self):
        """The next item from the generator, which it creates on the first call."""
        if self._generator is None:
            self._generator = pages(self._fetch_page)
        return await anext(self._generator)
