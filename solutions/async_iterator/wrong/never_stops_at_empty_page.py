"""Never checks for the empty page: it keeps fetching page after page forever.

Caught by: test_yields_every_item_in_order, test_fetches_each_page_just_in_time
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
        while self._index == len(self._items):
            self._items = await self._fetch_page(self._next_page)
            self._next_page += 1
            self._index = 0
        item = self._items[self._index]
        self._index += 1
        return item


async def pages(fetch_page):
    n = 0
    while True:
        for item in await fetch_page(n):
            yield item
        n += 1
