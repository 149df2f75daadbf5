"""Fetches page n+1 as soon as page n's last item is handed out (or page n arrives), not when asked.

Caught by: test_fetches_each_page_just_in_time, test_breaking_out_early_fetches_nothing_more
"""


class Pages:
    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._page = None
        self._next_page = 0
        self._index = 0

    def __aiter__(self):
        return self

    async def _load_next(self):
        self._page = await self._fetch_page(self._next_page)
        self._next_page += 1
        self._index = 0

    async def __anext__(self):
        if self._page is None:
            await self._load_next()
        if self._index >= len(self._page):
            raise StopAsyncIteration
        item = self._page[self._index]
        self._index += 1
        if self._index == len(self._page):
            # Used up: get the next page ready before returning (one request too early).
            await self._load_next()
        return item


async def pages(fetch_page):
    page = await fetch_page(0)
    n = 1
    while page:
        next_page = await fetch_page(n)  # fetched before this page's items are used
        for item in page:
            yield item
        page = next_page
        n += 1
