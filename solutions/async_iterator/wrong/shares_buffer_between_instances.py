"""Keeps the buffer in a class attribute, so every Pages object shares (and steals) the same items.

Caught by: test_iterators_do_not_share_state
"""


class Pages:
    buffer = []  # one list for the class, not one per instance

    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._next_page = 0
        self._done = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        if not self.buffer:
            if self._done:
                raise StopAsyncIteration
            page = await self._fetch_page(self._next_page)
            if not page:
                self._done = True
                raise StopAsyncIteration
            self._next_page += 1
            self.buffer.extend(page)
        return self.buffer.pop(0)


async def pages(fetch_page):
    n = 0
    while True:
        page = await fetch_page(n)
        if not page:
            return
        for item in page:
            yield item
        n += 1
