"""Keeps only a page number and an index, and fetches the current page again for every item.

Caught by: test_fetches_each_page_just_in_time
"""


class Pages:
    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._page_number = 0
        self._index = 0
        self._done = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self._done:
            raise StopAsyncIteration
        page = await self._fetch_page(self._page_number)
        if self._index == len(page):
            self._page_number += 1
            self._index = 0
            page = await self._fetch_page(self._page_number)
        if not page:
            self._done = True
            raise StopAsyncIteration
        item = page[self._index]
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
