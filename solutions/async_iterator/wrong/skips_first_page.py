"""Increments the page number before fetching, so page 0 is never asked for.

Caught by: test_yields_every_item_in_order, test_fetches_each_page_just_in_time
"""


class Pages:
    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._page_number = 0
        self._items = []
        self._index = 0
        self._done = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self._index == len(self._items):
            if self._done:
                raise StopAsyncIteration
            self._page_number += 1
            page = await self._fetch_page(self._page_number)
            if not page:
                self._done = True
                raise StopAsyncIteration
            self._items, self._index = page, 0
        item = self._items[self._index]
        self._index += 1
        return item


async def pages(fetch_page):
    n = 0
    while True:
        n += 1
        page = await fetch_page(n)
        if not page:
            return
        for item in page:
            yield item
