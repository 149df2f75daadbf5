"""Takes a page shorter than the first one for the last page, instead of waiting for an empty page.

Caught by: test_yields_every_item_in_order, test_fetches_each_page_just_in_time
"""


class Pages:
    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._next_page = 0
        self._page_size = None
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
            self._next_page += 1
            if not page:
                self._done = True
                raise StopAsyncIteration
            if self._page_size is None:
                self._page_size = len(page)
            elif len(page) < self._page_size:
                self._done = True  # "a short page must be the last one"
            self._items, self._index = page, 0
        item = self._items[self._index]
        self._index += 1
        return item


async def pages(fetch_page):
    n = 0
    page_size = None
    while True:
        page = await fetch_page(n)
        if not page:
            return
        for item in page:
            yield item
        if page_size is None:
            page_size = len(page)
        elif len(page) < page_size:
            return
        n += 1
