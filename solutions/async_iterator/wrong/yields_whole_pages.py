"""`pages()` yields each page (a list) instead of the items in it.

Caught by: test_yields_every_item_in_order, test_fetches_each_page_just_in_time
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
            page = await self._fetch_page(self._next_page)
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
        page = await fetch_page(n)
        if not page:
            return
        yield page
        n += 1
