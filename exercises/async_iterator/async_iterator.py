"""Implementing async iterators: hand out the items of a paginated API one page at a time.

Goal: `Pages` (an async iterator written by hand) and `pages()` (an async generator) both give every
item of every page, in order, fetching a page only when its items are needed.

`fetch_page(n)` is an async function: `await fetch_page(n)` returns page n (0, 1, 2, ...) as a list
of items, and the first empty list means there are no more pages.

Today both download the whole catalogue before the first item comes out: on a large API the
consumer waits for every request, and one that only wants the first few items pays for all of
them. Make them lazy. See README.md for the exact contract.
"""


class Pages:
    """An async iterator over every item of a paginated source: `async for item in Pages(f)`."""

    def __init__(self, fetch_page):
        self.fetch_page = fetch_page
        self.items = []
        self.loaded = False
        # TODO: keep the current page, your position in it and the next page number instead of
        #       a list of every item, and a flag that remembers the end.

    def __aiter__(self):
        return self

    async def __anext__(self):
        # TODO: this fetches every page before handing out the first item. Fetch page n+1 only
        #       when page n's items are used up and another item is asked for.
        if not self.loaded:
            n = 0
            while True:
                page = await self.fetch_page(n)
                if len(page) == 0:
                    break
                self.items.extend(page)
                n += 1
            self.loaded = True
        if not self.items:
            raise StopAsyncIteration
        return self.items.pop(0)


async def pages(fetch_page):
    """The same items as `Pages`, as an async generator: `async for item in pages(f)`."""
    # TODO: this is a coroutine that returns a list, not an async generator: it fetches
    #       everything first and `async for` cannot iterate it. Fetch page by page and `yield`
    #       each item instead.
    return [item async for item in Pages(fetch_page)]
