"""Forgets that it reached the end: every later call fetches the empty page again.

Caught by: test_stays_exhausted_without_fetching_again
"""


class Pages:
    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._next_page = 0
        self._items = []
        self._index = 0

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self._index == len(self._items):
            page = await self._fetch_page(self._next_page)
            if not page:
                raise StopAsyncIteration  # no flag: the next call asks for this page again
            self._next_page += 1
            self._items, self._index = page, 0
        item = self._items[self._index]
        self._index += 1
        return item


async def pages(fetch_page):
    n = 0
    while True:
        page = await fetch_page(n)
        if not page:
            return
        for item in page:
            yield item
        n += 1
