"""Starts fetching the next page in a background task as soon as a page arrives.

Caught by: test_fetches_each_page_just_in_time, test_breaking_out_early_fetches_nothing_more
"""

import asyncio


class Pages:
    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._next_page = 0
        self._pending = None
        self._items = []
        self._index = 0
        self._done = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self._index == len(self._items):
            if self._done:
                raise StopAsyncIteration
            if self._pending is None:
                self._pending = asyncio.ensure_future(self._fetch_page(self._next_page))
            page = await self._pending
            self._next_page += 1
            if not page:
                self._done = True
                self._pending = None
                raise StopAsyncIteration
            # Read ahead "to save time": the next page is requested before anyone asks for it.
            self._pending = asyncio.ensure_future(self._fetch_page(self._next_page))
            self._items, self._index = page, 0
        item = self._items[self._index]
        self._index += 1
        return item


async def pages(fetch_page):
    n = 0
    pending = asyncio.ensure_future(fetch_page(n))
    while True:
        page = await pending
        if not page:
            return
        n += 1
        pending = asyncio.ensure_future(fetch_page(n))
        for item in page:
            yield item
