"""Public tests for trio_nursery: run them with `make check`.

These are plain `def test_...` functions: each one runs trio itself, with `trio.run(main,
clock=MockClock(autojump_threshold=0))`. On that *virtual clock* time jumps to the next deadline
whenever every task is waiting, so `trio.sleep(9)` takes no real time and `trio.current_time()` is
exact. The `fetch` your code receives is a test double, `FakeWeb.fetch`: it logs, per url, when it
started, finished, failed, or was cancelled, and counts how many fetches run at the same time.
"""

import pytest
import trio
import trio.testing

pytestmark = pytest.mark.exercise("trio_nursery")

DEADLINE = 600  # virtual seconds: a fetch_all that hangs fails at once instead of hanging


class FetchError(Exception):
    """What a failing fetch raises."""


class FakeWeb:
    """The fetch double: `pages` maps each url to its latency, or to (latency, error to raise)."""

    def __init__(self, pages):
        self.pages = pages
        self.log = []  # (event, url, time)
        self.in_flight = 0
        self.peak = 0

    async def fetch(self, url):
        page = self.pages[url]
        latency, error = page if isinstance(page, tuple) else (page, None)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        self.log.append(("started", url, trio.current_time()))
        try:
            await trio.sleep(latency)
        except trio.Cancelled:
            self.log.append(("cancelled", url, trio.current_time()))
            raise
        finally:
            self.in_flight -= 1
        if error is not None:
            self.log.append(("failed", url, trio.current_time()))
            raise error
        self.log.append(("done", url, trio.current_time()))
        return f"<html>{url}</html>"

    def story(self, url):
        return [(event, when) for event, u, when in self.log if u == url]


def leaves(error):
    """The exceptions inside an exception group (nested groups flattened), or [error]."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaves(inner)]
    return [error]


def run_fetch_all(student, web, *, per_request, overall):
    """Run fetch_all(list(web.pages), web.fetch, ...) under trio on the virtual clock.

    Returns (what it returned or None, what it raised or None, virtual time when it ended).
    """
    outcome = {}

    async def main():
        with trio.move_on_after(DEADLINE) as guard:
            try:
                outcome["result"] = await student.fetch_all(
                    list(web.pages), web.fetch, per_request=per_request, overall=overall
                )
            except Exception as exc:  # an ExceptionGroup is an Exception too
                outcome["error"] = exc
            outcome["ended"] = trio.current_time()
        outcome["hung"] = guard.cancelled_caught

    try:
        trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    except trio.TrioInternalError as exc:
        outcome["crash"] = exc.__cause__
    if "crash" in outcome:
        pytest.fail(
            f"trio crashed: {outcome['crash']!r} escaped a task that no nursery owned (a system "
            f"task?): start the fetches in a nursery",
            pytrace=False,
        )
    if outcome["hung"]:
        pytest.fail(f"fetch_all was still running {DEADLINE} s after it was called (log: {web.log})")
    return outcome.get("result"), outcome.get("error"), outcome["ended"]


def told(result, error):
    """What fetch_all did, in words."""
    return f"raised {error!r}" if error is not None else f"returned {result!r}"


@pytest.mark.points(1)
def test_fetches_run_at_once_and_results_keep_urls_order(student):
    web = FakeWeb({"a": 3.0, "b": 1.0, "c": 2.0})
    result, error, ended = run_fetch_all(student, web, per_request=10, overall=60)
    assert error is None, f"every fetch succeeded, but fetch_all raised {error!r}"
    assert web.peak == 3, (
        f"only {web.peak} fetch(es) ran at the same time: start all three at once in a nursery "
        f"(log: {web.log})"
    )
    assert result == ["<html>a</html>", "<html>b</html>", "<html>c</html>"], (
        f"fetch_all returned {result!r}: return the bodies in the order of `urls`, not in the "
        f"order the fetches finished (b, c, a)"
    )
    assert ended == 3.0, (
        f"the slowest fetch takes 3 s and they run at once, but fetch_all ended at {ended} s"
    )


@pytest.mark.points(1)
def test_slow_request_gives_none_after_per_request(student):
    web = FakeWeb({"a": 1.0, "b": 9.0})
    result, error, ended = run_fetch_all(student, web, per_request=5, overall=60)
    assert error is None, (
        f"fetch b (9 s) is slower than per_request=5 s and should give None, but fetch_all "
        f"raised {error!r}: trio.move_on_after leaves its block quietly, trio.fail_after raises"
    )
    assert result == ["<html>a</html>", None], (
        f"fetch_all returned {result!r}; fetch b takes 9 s, more than per_request=5 s, so its "
        f"result should be None"
    )
    assert web.story("b") == [("started", 0.0), ("cancelled", 5.0)], (
        f"fetch b should be cancelled 5 s after it started; what happened to it: {web.story('b')}"
    )
    assert ended == 5.0, f"nothing was left to wait for at 5 s, but fetch_all ended at {ended} s"


@pytest.mark.points(1)
def test_overall_deadline_raises_too_slow_error(student):
    web = FakeWeb({"a": 1.0, "b": 8.0})
    result, error, ended = run_fetch_all(student, web, per_request=10, overall=4)
    assert isinstance(error, trio.TooSlowError), (
        f"with overall=4 s, fetch b (8 s) cannot finish in time, so fetch_all should raise "
        f"trio.TooSlowError, but it {told(result, error)} at {ended} s (fail_after raises, "
        f"move_on_after does not; and the deadline must cover the fetches: put it around the "
        f"nursery, not inside)"
    )
    assert web.story("b") == [("started", 0.0), ("cancelled", 4.0)], (
        f"fetch b should be cancelled when the overall deadline passes, at 4 s; what happened "
        f"to it: {web.story('b')}"
    )
    assert ended == 4.0, f"fetch_all should raise at 4 s, not at {ended} s"


@pytest.mark.points(1)
def test_failing_fetch_cancels_the_others_and_raises_exception_group(student):
    error = FetchError("b: 503 Service Unavailable")
    web = FakeWeb({"a": 1.0, "b": (2.0, error), "c": 7.0})
    result, raised, ended = run_fetch_all(student, web, per_request=10, overall=60)
    group_with_it = isinstance(raised, ExceptionGroup) and leaves(raised) == [error]
    assert group_with_it, (
        f"fetch b raised FetchError; fetch_all should let the nursery's ExceptionGroup holding "
        f"it propagate (callers use `except* FetchError`), but it {told(result, raised)}"
    )
    assert web.story("c") == [("started", 0.0), ("cancelled", 2.0)], (
        f"fetch b failed at 2 s, so fetch c should be cancelled then; what happened to it: "
        f"{web.story('c')}"
    )
    assert ended == 2.0, f"fetch_all should raise at 2 s, when fetch b failed, not at {ended} s"
