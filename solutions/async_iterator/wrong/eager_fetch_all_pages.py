"""Fetches every page up front (on the first item) instead of one page at a time.

Caught by: test_nothing_is_fetched_before_it_is_needed, test_fetches_each_page_just_in_time, test_breaking_out_early_fetches_nothing_more
"""

from collections import deque


class Pages:
    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._items = deque()
        self._loaded = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        if not self._loaded:
            n = 0
            while True:
                page = await self._fetch_page(n)
                if len(page) == 0:
                    break
                self._items.extend(page)
                n += 1
            self._loaded = True
        if not self._items:
            raise StopAsyncIteration
        return self._items.popleft()


async def pages(fetch_page):
    everything = []
    n = 0
    while True:
        page = await fetch_page(n)
        if len(page) == 0:
            break
        everything.extend(page)
        n += 1
    for item in everything:
        yield item
