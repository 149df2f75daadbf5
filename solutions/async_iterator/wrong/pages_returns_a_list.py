"""`pages` is a coroutine that collects every item into a list, not an async generator.

Caught by: test_pages_is_an_async_generator_function, test_yields_every_item_in_order
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
    items = []
    n = 0
    while True:
        page = await fetch_page(n)
        if not page:
            return items
        items.extend(page)
        n += 1
