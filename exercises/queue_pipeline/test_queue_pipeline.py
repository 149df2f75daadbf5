"""Public tests for queue_pipeline: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time. Your `crawl` talks to test
doubles: `FakeWeb.fetch` takes one virtual second per page and counts how many fetches run at once
(`probe.peak`) and how often each URL was fetched; the URLs come from an async generator. The
hidden tests also check the queue bound (how far crawl reads ahead of the fetches), failing
fetches, a slow URL feed, and cancelling crawl at each of its awaits.
"""

import asyncio
from collections import Counter

import pytest

from grader.testing import ConcurrencyProbe

pytestmark = pytest.mark.exercise("queue_pipeline")

DEADLINE = 600  # virtual seconds: a crawl that deadlocks fails at once instead of hanging


class FakeWeb:
    """A double for `fetch`: one second per page; counts calls and fetches in flight."""

    def __init__(self):
        self.probe = ConcurrencyProbe()
        self.calls = Counter()

    async def fetch(self, url):
        self.calls[url] += 1
        async with self.probe:
            await asyncio.sleep(1)
        return f"<page {url}>"


async def feed(urls):
    """The async iterable of URLs that crawl reads."""
    for url in urls:
        await asyncio.sleep(0)
        yield url


URLS = [f"https://example.org/page/{i}" for i in range(10)]


async def run_crawl(student, web, **sizes):
    """Run crawl on URLS; return (its result, the tasks it left running, which we then stop).

    Stopping them here keeps each test about one thing: only the last test checks for them.
    """
    before = asyncio.all_tasks()
    async with asyncio.timeout(DEADLINE):
        result = await student.crawl(feed(URLS), web.fetch, **sizes)
    left = [t for t in asyncio.all_tasks() - before if not t.done()]
    for task in left:
        task.cancel()
    await asyncio.gather(*left, return_exceptions=True)
    return result, left


@pytest.mark.points(1)
async def test_fetches_every_url_once_and_returns_the_results(student):
    web = FakeWeb()
    result, _ = await run_crawl(student, web, workers=3, max_in_flight=3, queue_size=2)
    assert result == {url: f"<page {url}>" for url in URLS}, (
        f"crawl returned {result!r}; expected {{url: what fetch(url) returned}} for all 10 URLs"
    )
    assert all(n == 1 for n in web.calls.values()), (
        f"fetch calls per URL: {dict(web.calls)}; fetch every URL exactly once"
    )


@pytest.mark.points(1)
async def test_never_more_fetches_at_once_than_max_in_flight(student):
    web = FakeWeb()
    await run_crawl(student, web, workers=6, max_in_flight=2, queue_size=2)
    assert web.probe.peak <= 2, (
        f"{web.probe.peak} fetches ran at once with 6 workers and max_in_flight=2: the number of "
        f"workers is not the limit; hold an asyncio.Semaphore(max_in_flight) around each fetch"
    )


@pytest.mark.points(1)
async def test_leaves_no_task_running_after_returning(student):
    web = FakeWeb()
    _, left = await run_crawl(student, web, workers=4, max_in_flight=2, queue_size=2)
    assert len(left) == 0, (
        f"when crawl returned, {len(left)} task(s) it started were still running: workers "
        f"waiting in `await queue.get()` wait forever. Once queue.join() has returned, cancel "
        f"them and wait until they have ended"
    )
