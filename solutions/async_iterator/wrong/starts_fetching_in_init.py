"""Starts fetching page 0 in a task from `__init__`, before anyone asks for an item.

Caught by: test_nothing_is_fetched_before_it_is_needed, test_fetches_each_page_just_in_time
"""

import asyncio


class Pages:
    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        # "Warm up": the first request starts as soon as the object exists.
        self._first = asyncio.ensure_future(fetch_page(0))
        self._next_page = 1
        self._items = []
        self._index = 0
        self._done = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self._index == len(self._items):
            if self._done:
                raise StopAsyncIteration
            if self._first is not None:
                page, self._first = await self._first, None
            else:
                page = await self._fetch_page(self._next_page)
                self._next_page += 1
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
        page = await fetch_page(n)
        if not page:
            return
        for item in page:
            yield item
        n += 1
