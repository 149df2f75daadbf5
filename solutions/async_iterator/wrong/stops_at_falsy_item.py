"""Tests items for truthiness: a falsy item (0, None, "", False) is taken for the end of a page.

Caught by: test_falsy_items_are_yielded
"""


class Pages:
    def __init__(self, fetch_page):
        self._fetch_page = fetch_page
        self._next_page = 0
        self._items = iter(())
        self._done = False

    def __aiter__(self):
        return self

    async def __anext__(self):
        while True:
            item = next(self._items, None)
            if item:
                return item
            # "No item": move on to the next page (but 0, None, "" and False are items too).
            if self._done:
                raise StopAsyncIteration
            page = await self._fetch_page(self._next_page)
            self._next_page += 1
            if not page:
                self._done = True
                raise StopAsyncIteration
            self._items = iter(page)


async def pages(fetch_page):
    n = 0
    while True:
        page = await fetch_page(n)
        if not page:
            return
        for item in page:
            if item:  # skips "empty" items, which are items all the same
                yield item
        n += 1
