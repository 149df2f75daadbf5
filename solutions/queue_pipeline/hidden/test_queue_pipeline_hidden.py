"""Hidden grader for queue_pipeline.

``crawl`` is graded against two doubles written here: a ``FakeWeb`` whose ``fetch`` suspends on the
virtual clock, counts every call per URL and measures the fetches in flight with a
``ConcurrencyProbe``; and a ``UrlFeed``, the async iterable of URLs, which records how far its
reader has run ahead of the fetches (URLs read but whose fetch has not started yet). With one
producer, a queue of ``queue_size`` and ``workers`` workers that may each hold one URL, that lead
can never exceed ``queue_size + workers + 1``; an unbounded queue reads the whole feed at once.

Every call runs inside ``watched``, which notes, at the very moment ``crawl`` ends, which tasks it
started are still running ("no task left behind" is then a fact, not a timing guess); the grader
then stops those itself, so that its own verdict is the one the student reads.
"""

import asyncio
from collections import Counter

import pytest

from grader.cancellation import abandon, discard_outcome
from grader.testing import ConcurrencyProbe, cancel_at_each_await, run_cancelled_after

pytestmark = pytest.mark.exercise("queue_pipeline")

DEADLINE = 600  # virtual seconds: far beyond any crawl here, so a deadlock ends at once


class PageMissing(Exception):
    """What FakeWeb.fetch raises for a URL it was told to fail."""


class FakeWeb:
    """A double for ``fetch``: takes a (deterministic, uneven) while, counts calls, fails some."""

    def __init__(self, fail=(), ready_after=None) -> None:
        self.probe = ConcurrencyProbe()
        self.calls: Counter = Counter()
        self.started = 0
        self.interrupted = 0
        self.fail = set(fail)
        self.ready_after = ready_after
        self.ready = asyncio.Event()

    @staticmethod
    def latency(url: str) -> float:
        n = int(url.rsplit("/", 1)[1])
        return 1 + (n * 7 % 5) / 4  # 1.0 to 2.0 s, uneven so that workers finish out of order

    async def fetch(self, url: str) -> str:
        self.calls[url] += 1
        self.started += 1
        if self.started == self.ready_after:
            self.ready.set()
        async with self.probe:
            try:
                await asyncio.sleep(self.latency(url))
            except asyncio.CancelledError:
                self.interrupted += 1
                raise
        if url in self.fail:
            raise PageMissing(f"404 {url}")
        return f"<page {url}>"


class UrlFeed:
    """A double for ``urls``: an async iterable that notes how far its reader runs ahead."""

    def __init__(self, urls, web: FakeWeb, gap: float = 0.0) -> None:
        self.urls = list(urls)
        self.web = web
        self.gap = gap  # seconds before each URL arrives: 0 is a source that is always ready
        self.read = 0
        self.lead = 0  # the most URLs read whose fetch had not started yet

    def __aiter__(self):
        return self

    async def __anext__(self) -> str:
        await asyncio.sleep(self.gap)
        if self.read == len(self.urls):
            raise StopAsyncIteration
        url = self.urls[self.read]
        self.read += 1
        self.lead = max(self.lead, self.read - self.web.started)
        return url


def site(n: int) -> list[str]:
    return [f"https://example.org/page/{i}" for i in range(n)]


def expected(urls, web: FakeWeb) -> dict:
    return {u: (f"<page {u}>" if u not in web.fail else PageMissing) for u in urls}


class Watch:
    """What ``watched`` saw when crawl ended."""

    def __init__(self) -> None:
        self.left_running: list[asyncio.Task] = []


async def watched(student, feed: UrlFeed, web: FakeWeb, watch: Watch, **sizes):
    """Run the student's crawl and note which tasks it left running at the moment it ended."""
    before = asyncio.all_tasks()
    try:
        return await student.crawl(feed, web.fetch, **sizes)
    finally:
        watch.left_running = [t for t in asyncio.all_tasks() - before if not t.done()]


async def reap(tasks) -> None:
    """Stop tasks the student left behind (closing any that ignore cancel) and retrieve them."""
    tasks = [t for t in tasks if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=5)
    for task in tasks:
        if not task.done():
            abandon(task)
    if tasks:
        await asyncio.wait(tasks, timeout=1)
    for task in tasks:
        discard_outcome(task)


def left_message(watch: Watch) -> str | None:
    if not watch.left_running:
        return None
    names = sorted({t.get_coro().__qualname__ for t in watch.left_running})
    return (f"it left {len(watch.left_running)} task(s) running ({', '.join(names)}). A worker "
            f"blocked in `await queue.get()` waits forever, and one that catches CancelledError "
            f"(`except BaseException`) never stops: cancel your workers (and producer) and wait "
            f"until they have ended before crawl returns or raises")


async def run(student, feed: UrlFeed, web: FakeWeb, **sizes):
    """Await crawl to its end (bounded); return (result, watch). A deadlock fails with a reason."""
    watch = Watch()
    deadline = asyncio.timeout(DEADLINE)
    result = None
    try:
        async with deadline:
            result = await watched(student, feed, web, watch, **sizes)
    except TimeoutError:
        if not deadline.expired():
            raise
    if deadline.expired():  # failed here, outside the except: no chained traceback to wade through
        await reap(watch.left_running)
        pytest.fail(
            f"crawl never returned ({web.started} fetch(es) started, {len(feed.urls)} URLs). "
            f"Is queue.join() waiting for a task_done() that never comes (call it once per get, in "
            f"`finally`, also when fetch raises)? Is a semaphore permit lost when fetch raises? Is a "
            f"worker waiting for a shutdown signal that never arrives?"
        )
    await reap(watch.left_running)
    return result, watch


def check_results(result, urls, web: FakeWeb, what: str) -> None:
    assert isinstance(result, dict), f"{what}, crawl returned {result!r}: return a dict"
    missing = [u for u in urls if u not in result]
    assert not missing, (
        f"{what}, {len(missing)} of {len(urls)} URLs are missing from the result (e.g. "
        f"{missing[0]}). Did crawl stop before the producer had queued the last URL? queue.join() "
        f"returns whenever the queue is momentarily empty, even before the first put"
    )
    extra = [u for u in result if u not in urls]
    assert not extra, f"{what}, the result has keys that are not URLs of the feed: {extra[:3]}"
    twice = {u: n for u, n in web.calls.items() if n != 1}
    assert not twice, (
        f"{what}, some URLs were fetched more than once ({len(twice)}, e.g. {next(iter(twice))} "
        f"{max(twice.values())} times): every URL is fetched exactly once, even when it fails"
    )
    for url, want in expected(urls, web).items():
        got = result[url]
        if want is PageMissing:
            assert isinstance(got, PageMissing), (
                f"{what}, fetch({url!r}) raised PageMissing, but the result for it is {got!r}: "
                f"store the exception itself as that URL's result"
            )
        else:
            assert got == want, f"{what}, the result for {url} is {got!r}, not what fetch returned"


# -- correctness --------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_every_url_fetched_exactly_once_from_a_slow_feed(student):
    urls = site(12)
    web = FakeWeb()
    feed = UrlFeed(urls, web, gap=1.5)  # URLs trickle in: the queue is often empty meanwhile
    result, watch = await run(student, feed, web, workers=3, max_in_flight=2, queue_size=2)
    check_results(result, urls, web, "with URLs arriving every 1.5 s")
    problem = left_message(watch)
    assert problem is None, f"When crawl returned, {problem}"


@pytest.mark.points(1)
async def test_failed_fetches_are_results_and_the_crawl_goes_on(student):
    urls = site(16)
    web = FakeWeb(fail={urls[i] for i in (0, 1, 2, 5, 9, 15)})
    feed = UrlFeed(urls, web)
    result, watch = await run(student, feed, web, workers=4, max_in_flight=2, queue_size=3)
    check_results(result, urls, web, "with six fetches raising PageMissing")
    assert web.probe.peak <= 2, (
        f"with max_in_flight=2 and failing fetches, {web.probe.peak} fetches ran at once"
    )
    problem = left_message(watch)
    assert problem is None, f"When crawl returned, {problem}"


# -- bounds -------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_fetches_in_flight_peak_at_exactly_max_in_flight(student):
    for workers, limit in ((8, 3), (2, 5)):
        urls = site(20)
        web = FakeWeb()
        result, _ = await run(student, UrlFeed(urls, web), web, workers=workers,
                              max_in_flight=limit, queue_size=4)
        check_results(result, urls, web, f"with workers={workers}, max_in_flight={limit}")
        most = min(workers, limit)
        assert web.probe.peak <= most, (
            f"with workers={workers} and max_in_flight={limit}, {web.probe.peak} fetches ran at "
            f"once; never more than {most}. Hold a Semaphore(max_in_flight) around each fetch"
        )
        assert web.probe.peak == most, (
            f"with workers={workers}, max_in_flight={limit} and 20 slow URLs, at most "
            f"{web.probe.peak} fetch(es) ever ran at once: the workers should fetch concurrently, "
            f"up to {most} at a time"
        )


@pytest.mark.points(2)
async def test_reads_urls_no_further_ahead_than_the_queue_allows(student):
    for workers, limit, size in ((2, 2, 3), (4, 2, 1)):
        urls = site(40)
        web = FakeWeb()
        feed = UrlFeed(urls, web)  # always ready: only the queue bound holds the reader back
        result, _ = await run(student, feed, web, workers=workers, max_in_flight=limit,
                              queue_size=size)
        check_results(result, urls, web, f"with queue_size={size}")
        bound = size + workers + 1
        assert feed.lead <= bound, (
            f"with queue_size={size} and {workers} workers, crawl had read {feed.lead} URLs from "
            f"`urls` whose fetch had not started yet; with a bounded queue it can be at most "
            f"{bound} (the queue, one per worker, one in the producer's hand). Create the queue "
            f"with maxsize=queue_size and `await queue.put(url)`, which waits while it is full"
        )


# -- shutdown and cancellation ------------------------------------------------------------------


@pytest.mark.points(1)
async def test_cancelled_while_fetching_stops_every_task(student):
    urls = site(10)
    web = FakeWeb(ready_after=4)
    feed = UrlFeed(urls, web)
    watch = Watch()
    task = await run_cancelled_after(
        lambda: watched(student, feed, web, watch, workers=3, max_in_flight=2, queue_size=2),
        web.ready, wait=DEADLINE,
    )
    await reap(watch.left_running)
    assert web.ready.is_set(), (
        f"crawl {'returned' if not task.cancelled() else 'ended'} before 4 fetches had even "
        f"started ({web.started} of 10 URLs fetched): it should fetch every URL of the feed"
    )
    problem = left_message(watch)
    assert problem is None, f"crawl was cancelled while fetching, and {problem}"
    assert task.cancelled(), (
        "crawl was cancelled while fetching but did not end cancelled: after stopping your tasks, "
        "let the CancelledError propagate (do not catch it, or re-raise it)"
    )
    assert web.probe.in_flight == 0, (
        f"crawl was cancelled, but {web.probe.in_flight} fetch(es) were still running when it "
        f"ended: cancel the workers and wait for them"
    )


@pytest.mark.points(1)
async def test_cancel_at_every_await_leaves_no_task(student):
    urls = site(4)

    def scenario():
        web = FakeWeb()
        feed = UrlFeed(urls, web, gap=0.5)
        watch = Watch()
        coro = watched(student, feed, web, watch, workers=2, max_in_flight=2, queue_size=1)
        return coro, (web, watch)

    runs = await cancel_at_each_await(scenario, wait=DEADLINE)
    for run in runs:
        web, watch = run.context
        await reap(watch.left_running)
        when = (f"When crawl was cancelled at its await #{run.point}" if run.reached
                else "When crawl was not cancelled")
        assert not run.hung, f"{when}, {run.describe()}: never swallow CancelledError"
        problem = left_message(watch)
        assert problem is None, f"{when}, {problem}"
        assert web.probe.in_flight == 0, (
            f"{when}, {web.probe.in_flight} fetch(es) were still running when it ended"
        )
        if run.reached:
            assert run.cancelled, (
                f"{when}, {run.describe()}: after stopping your tasks, let the CancelledError "
                f"propagate so that crawl ends cancelled"
            )
        else:
            assert run.exception is None, f"{when}, {run.describe()}"
            got = sorted(run.result) if isinstance(run.result, dict) else None
            assert got == sorted(urls), (
                f"{when}, {run.describe()}; it should return a result for each of the 4 URLs"
            )
