"""Catches fetch_page's exception and ends the iteration as if there were no more pages.

Caught by: test_fetch_error_reaches_the_consumer
"""


class Pages:
    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._next_page = 0
        self._items = []
        self._index = 0
        self._done = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self._index == len(self._items):
            if self._done:
                raise StopAsyncIteration
            try:
                page = await self._fetch_page(self._next_page)
            except Exception:
                page = []  # "no more data"
            if not page:
                self._done = True
                raise StopAsyncIteration
            self._next_page += 1
            self._items, self._index = page, 0
        item = self._items[self._index]
        self._index += 1
        return item


async def pages(fetch_page):
    n = 0
    while True:
        try:
            page = await fetch_page(n)
        except Exception:
            return
        if not page:
            return
        for item in page:
            yield item
        n += 1
