"""Hidden grader for fix_blocking.

``fetch`` is graded on its own: it waits exactly ``latency`` on the loop's clock, and other
coroutines run meanwhile. ``fetch_all`` is graded against fake downloads: each test replaces the
fresh module's ``fetch`` with a double (``fetch_all`` looks the global up when it runs) that counts,
logs and sleeps on the virtual clock, so every assertion is about counts, logs and virtual time,
never wall-clock time.
"""

import asyncio

import pytest

from grader.testing import ConcurrencyProbe, EventLog, must_finish, now, other_pending_tasks

pytestmark = pytest.mark.exercise("fix_blocking")

# Long enough that a wrong solution which hangs ends at once (virtual time), well past every double.
DEADLINE = 60
CANCEL_ADVICE = (
    "when fetch_all is cancelled, every download still in flight must be cancelled too, and has "
    "ended by the time fetch_all has (gather and TaskGroup do this for you; tasks you create "
    "yourself, you must cancel and await yourself)"
)


class DownloadError(Exception):
    """What a failing fake download raises."""


class FakeDownloads:
    """A double for ``fetch``: sleeps ``delays[url]`` virtual seconds, counts and logs every call.

    Its bodies differ from the real ``fetch``'s, so a ``fetch_all`` that makes up bodies itself
    instead of returning what ``fetch`` returned is seen.
    """

    def __init__(self, delays: dict[str, float], failing: str | None = None) -> None:
        self.delays = delays
        self.failing = failing
        self.probe = ConcurrencyProbe()
        self.log = EventLog()
        self.all_started = asyncio.Event()

    @staticmethod
    def body(url: str) -> str:
        """What the fake download of ``url`` returns."""
        return f"<fake page of {url}>"

    async def fetch(self, url: str, latency: float) -> str:
        """The fake download, installed as the student's ``fetch``."""
        assert url in self.delays, (
            f"fetch was called with url {url!r}, which is not one of the urls given to fetch_all"
        )
        async with self.probe:
            self.log("start", url, latency)
            if self.probe.calls == len(self.delays):
                self.all_started.set()
            try:
                await asyncio.sleep(self.delays[url])
            except asyncio.CancelledError:
                self.log("cancelled", url)
                raise
            if url == self.failing:
                raise DownloadError(f"{url}: 503 Service Unavailable")
            self.log("done", url)
            return self.body(url)


def install(student, delays: dict[str, float], failing: str | None = None) -> FakeDownloads:
    """Replace the student's ``fetch`` with fake downloads; return the double."""
    fake = FakeDownloads(delays, failing)
    student.fetch = fake.fetch
    return fake


async def stop(task: asyncio.Task) -> None:
    """Cancel one of the grader's own tasks and wait until it has ended."""
    task.cancel()
    await asyncio.wait({task})


# -- fetch ----------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_fetch_waits_latency_on_the_loop_clock(student):
    async with must_finish("fetch('slow.example', 1.5)"):
        body = await student.fetch("slow.example", 1.5)
    assert body == "<html>slow.example</html>", (
        f"fetch('slow.example', 1.5) returned {body!r}; expected '<html>slow.example</html>'"
    )
    assert now() == 1.5, (
        f"fetch('slow.example', 1.5) ended after {now()} s on the event loop's clock; it should "
        f"wait exactly 1.5 s with `await asyncio.sleep(latency)`"
    )
    async with must_finish("fetch('instant.example', 0)"):
        body = await student.fetch("instant.example", 0)
    assert body == "<html>instant.example</html>", (
        f"fetch('instant.example', 0) returned {body!r}; expected '<html>instant.example</html>'"
    )


@pytest.mark.points(1)
async def test_fetch_lets_other_coroutines_run_while_waiting(student):
    ticks: list[float] = []

    async def heartbeat():
        while True:
            await asyncio.sleep(0.1)
            ticks.append(now())

    beating = asyncio.create_task(heartbeat())
    try:
        async with must_finish("fetch('example.com', 1.0)"):
            await student.fetch("example.com", 1.0)
        turns = len(ticks)
    finally:
        await stop(beating)
    assert turns >= 1, (
        "while fetch('example.com', 1.0) was waiting, no other coroutine got a turn: it held the "
        "event loop the whole time. Wait with `await asyncio.sleep(latency)`, which suspends fetch "
        "and lets the loop run other coroutines meanwhile."
    )


# -- fetch_all ------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_fetch_all_calls_fetch_once_per_url(student):
    delays = {"a.org": 1.0, "b.org": 2.0, "c.org": 1.5, "d.org": 0.5}
    fake = install(student, delays)
    async with must_finish("fetch_all(['a.org', 'b.org', 'c.org', 'd.org'], 0.25)"):
        bodies = await student.fetch_all(list(delays), 0.25)
    starts = [e[1:] for e in fake.log.events if e[0] == "start"]
    expected = [(url, 0.25) for url in delays]
    assert sorted(starts) == sorted(expected), (
        f"fetch_all(['a.org', 'b.org', 'c.org', 'd.org'], 0.25) called fetch(url, latency) with "
        f"{sorted(starts)}; it should call this module's `fetch(url, latency)` exactly once per "
        f"url, passing the latency it was given (do not download the pages any other way)"
    )
    assert bodies == [fake.body(url) for url in delays], (
        "fetch_all should return exactly the bodies that fetch returned, in the order of `urls`"
    )


@pytest.mark.points(1)
async def test_fetch_all_starts_every_download_at_once(student):
    delays = {f"site{i}.net": 1.0 + (i * 7 % 10) / 4 for i in range(10)}  # 1.0 to 3.25 s
    fake = install(student, delays)
    async with must_finish("fetch_all(10 urls, 1.0)"):
        bodies = await student.fetch_all(list(delays), 1.0)
    assert fake.probe.peak == len(delays), (
        f"at most {fake.probe.peak} of the 10 downloads were in flight at once; all 10 should "
        f"run at the same time (start them all, then wait for them all together)"
    )
    assert now() == max(delays.values()), (
        f"fetch_all took {now()} s, but its slowest download takes {max(delays.values())} s: "
        f"downloads at the same time take as long as the slowest one, not the sum"
    )
    assert bodies == [fake.body(url) for url in delays], (
        "fetch_all should return the bodies fetch returned, in the order of `urls` (not in the "
        "order the downloads finished)"
    )


@pytest.mark.points(1)
async def test_fetch_all_of_no_urls_returns_an_empty_list(student):
    fake = install(student, {})
    async with must_finish("fetch_all([], 1.0)"):
        bodies = await student.fetch_all([], 1.0)
    assert bodies == [], f"fetch_all([], 1.0) returned {bodies!r}; with no urls it should return []"
    assert fake.probe.calls == 0, "fetch_all([], 1.0) should not call fetch at all"


@pytest.mark.points(1)
async def test_fetch_all_raises_the_error_of_a_failed_download(student):
    delays = {"ok1.io": 2.0, "broken.io": 1.0, "ok2.io": 3.0}
    install(student, delays, failing="broken.io")
    errors: list[BaseException] = []
    bodies = None
    try:
        async with must_finish("fetch_all(['ok1.io', 'broken.io', 'ok2.io'], 1.0)"):
            bodies = await student.fetch_all(list(delays), 1.0)
    except* DownloadError as group:  # the error itself, or inside an ExceptionGroup (TaskGroup)
        errors.extend(group.exceptions)
    # gather leaves the other downloads running after one fails: let them end before checking
    # that nothing was left behind.
    await asyncio.sleep(max(delays.values()))
    assert errors, (
        f"one download raised DownloadError, but fetch_all returned {bodies!r}: the error should "
        f"reach fetch_all's caller (do not swallow it, e.g. with return_exceptions=True)"
    )
    leftover = other_pending_tasks()
    assert not leftover, (
        f"{len(leftover)} download(s) were still running long after fetch_all had raised: do not "
        f"leave tasks behind"
    )


@pytest.mark.points(1)
async def test_cancelling_fetch_all_cancels_every_download(student):
    urls = ["one.dev", "two.dev", "three.dev", "four.dev"]
    fake = install(student, dict.fromkeys(urls, 30.0))
    task = asyncio.create_task(student.fetch_all(urls, 30.0))
    started = asyncio.create_task(fake.all_started.wait())
    # Cancel only once every download has started (or fetch_all has ended, or time is up).
    await asyncio.wait({task, started}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    await stop(started)
    task.cancel()
    # asyncio.wait, not `await task`: a fetch_all that swallows the cancellation would hang it.
    await asyncio.wait({task}, timeout=10)
    hung = not task.done()
    if hung:
        task.get_coro().close()  # it ignored the cancellation: stop it for good
        task.cancel()
        await asyncio.wait({task})
    outcome = describe_end(task, hung)
    assert fake.probe.calls == len(urls), (
        f"only {fake.probe.calls} of the {len(urls)} downloads had started when the grader "
        f"cancelled fetch_all; they should all start at once"
    )
    assert outcome == "ended cancelled", (
        f"fetch_all was cancelled while its downloads were in flight, and {outcome}: let the "
        f"CancelledError propagate so that fetch_all's caller sees it cancelled"
    )
    not_cancelled = [url for url in urls if ("cancelled", url) not in fake.log.events]
    assert not not_cancelled, (
        f"fetch_all was cancelled, but the download(s) of {not_cancelled} were not cancelled with "
        f"it and kept running: {CANCEL_ADVICE}"
    )
    leftover = other_pending_tasks()
    assert not leftover, (
        f"fetch_all ended, but {len(leftover)} task(s) it started were still running: "
        f"{CANCEL_ADVICE}"
    )


def describe_end(task: asyncio.Task, hung: bool) -> str:
    """How a cancelled task ended, in words: 'ended cancelled', 'returned [...]', ..."""
    if hung:
        return "it swallowed the cancellation and kept running"
    if task.cancelled():
        return "ended cancelled"
    if task.exception() is not None:
        exc = task.exception()
        return f"it raised {type(exc).__name__}: {exc}"
    return f"it returned {task.result()!r}"
