"""Hidden grader for trio_nursery.

Every test is a plain ``def test_...``: it runs its own ``trio.run`` with a
``trio.testing.MockClock(autojump_threshold=0)``, so time is virtual and exact (the clock jumps to
the next deadline whenever every task is blocked). ``fetch_all`` is called at virtual time
``START``, not 0, so that a timeout passed as an instant (``move_on_at(per_request)``) instead of a
duration shows. Durations are binary fractions (0.25, 2.75...): sums of them are exact floats.

The ``fetch`` the student receives is ``FakeWeb.fetch``: it counts the fetches in flight, and logs
per url when it started, finished, failed, or got ``trio.Cancelled`` (and, with a ``cleanup``, when
it finished closing its connection, a shielded wait). The grader logs the moment ``fetch_all``
ended in the same log, so "nothing ran after fetch_all ended" is read off the log, not timed.
trio deliberately shuffles tasks that are ready at the same instant, so the tests never depend on
the order of simultaneous events: no fetch would end at the instant of a deadline or of another
fetch's failure (no race to win), and logs are compared per url, where the order is fixed.
"""

import pytest
import trio
import trio.testing

pytestmark = pytest.mark.exercise("trio_nursery")

START = 1000.0  # virtual time at which fetch_all is called
DEADLINE = 600.0  # the grader's own limit: a fetch_all still running then has hung
LINGER = 100.0  # how long the grader waits after fetch_all ended, to see what is still running
CLEANUP = 0.25  # how long a cancelled fetch takes to close its connection (when enabled)


class FetchError(Exception):
    """What a failing fetch raises."""


def body(url: str) -> str:
    return f"<html>{url}</html>"


class FakeWeb:
    """The ``fetch`` double: per url a latency, and optionally an exception to raise at its end."""

    def __init__(self, pages: dict, *, cleanup: float = 0.0) -> None:
        self.pages = pages  # url -> latency, or (latency, exception)
        self.cleanup = cleanup
        self.log: list[tuple] = []  # (event, url, virtual time since START), in the order they happened
        self.in_flight = 0
        self.peak = 0
        self.calls = 0

    def note(self, event: str, url) -> None:
        self.log.append((event, url, trio.current_time() - START))

    async def fetch(self, url: str) -> str:
        page = self.pages[url]
        latency, error = page if isinstance(page, tuple) else (page, None)
        self.calls += 1
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        self.note("started", url)
        try:
            try:
                await trio.sleep(latency)
            except trio.Cancelled:
                self.note("cancelled", url)
                if self.cleanup:
                    with trio.CancelScope(shield=True):  # closing the connection takes a moment
                        await trio.sleep(self.cleanup)
                    self.note("closed", url)
                raise
        finally:
            self.in_flight -= 1
        if error is not None:
            self.note("failed", url)
            raise error
        self.note("done", url)
        return body(url)

    def story(self, url) -> list[tuple]:
        """What happened to ``url``'s fetch(es): [("started", 0.0), ("done", 1.5)]."""
        return [(event, when) for event, u, when in self.log if u == url]

    def stories(self) -> dict:
        return {url: self.story(url) for url in self.pages}

    def ended_at(self) -> float | None:
        for event, _, when in self.log:
            if event == "fetch_all ended":
                return when
        return None

    def after_end(self) -> list[tuple]:
        """Events logged after fetch_all had ended: work it left running."""
        names = [event for event, _, _ in self.log]
        if "fetch_all ended" not in names:
            return []
        return self.log[names.index("fetch_all ended") + 1:]

    def tell(self) -> str:
        """The log in words: "a started at 0.0 s, b started at 0.0 s, a done at 1.5 s, ..."."""
        words = []
        for event, url, when in self.log:
            who = "" if url is None else f"{url} "
            words.append(f"{who}{event} at {when:g} s")
        return ", ".join(words) or "nothing"


class Call:
    """How one call of fetch_all went."""

    def __init__(self) -> None:
        self.returned = False
        self.result = None
        self.error: BaseException | None = None
        self.hung = False

    def outcome(self) -> str:
        if self.hung:
            return f"was still running {DEADLINE:g} s after it was called"
        if self.returned:
            return f"returned {self.result!r}"
        return f"raised {describe(self.error)}"


def describe(error: BaseException | None) -> str:
    if isinstance(error, BaseExceptionGroup):
        inner = ", ".join(describe(e) for e in error.exceptions)
        return f"{type(error).__name__}([{inner}])"
    lines = str(error).strip().splitlines()
    # The first line of the message only: trio's own errors can take a dozen lines.
    return f"{type(error).__name__}({lines[0]!r})" if lines else f"{type(error).__name__}()"


def leaves(error: BaseException) -> list[BaseException]:
    """The exceptions inside an exception group, nested groups flattened."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in leaves(inner)]
    return [error]


def run_trio(main) -> None:
    """Run ``main`` under trio on a virtual clock that jumps whenever every task is blocked."""
    crashed = None
    try:
        trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    except trio.TrioInternalError as exc:
        crashed = leaves(exc.__cause__ or exc)
    if crashed is not None:  # failing outside the except: the student needs no trio internals
        pytest.fail(
            f"trio itself crashed: {', '.join(map(describe, crashed))} escaped a task that no "
            f"nursery owned. A system task, like an asyncio task made with create_task, belongs "
            f"to nobody, so nobody can receive its error or wait for it: start the fetches in a "
            f"nursery",
            pytrace=False,
        )


def call_fetch_all(student, web: FakeWeb, urls, *, per_request: float, overall: float) -> Call:
    """Call fetch_all at virtual time START, note when it ended, then wait LINGER seconds."""
    call = Call()

    async def main() -> None:
        await trio.sleep_until(START)
        with trio.move_on_after(DEADLINE) as guard:
            try:
                call.result = await student.fetch_all(
                    list(urls), web.fetch, per_request=per_request, overall=overall
                )
                call.returned = True
            except Exception as exc:  # an ExceptionGroup is an Exception; trio.Cancelled is not
                call.error = exc
            finally:
                web.note("fetch_all ended", None)
        call.hung = guard.cancelled_caught
        await trio.sleep(LINGER)  # anything fetch_all left running shows up in the log now

    run_trio(main)
    return call


def assert_no_instant_deadline(web: FakeWeb) -> None:
    """Fail with the right lesson when fetches were cancelled the moment fetch_all was called."""
    at_once = [url for event, url, when in web.log if event == "cancelled" and when == 0.0]
    assert not at_once, (
        f"fetch(es) {', '.join(at_once)} were cancelled the very moment fetch_all was called (the "
        f"log: {web.tell()}). per_request and overall are durations: trio.move_on_after and "
        f"trio.fail_after take a duration, move_on_at and fail_at an instant on trio's clock "
        f"(trio.current_time(), which need not start at 0), which had long passed"
    )


def assert_all_started_at_once(web: FakeWeb) -> None:
    """Fail with the right lesson when the fetches did not all start when fetch_all was called."""
    late = [(url, when) for event, url, when in web.log if event == "started" and when != 0.0]
    assert not late, (
        f"the fetches should all start the moment fetch_all is called, but "
        f"{', '.join(f'{url} started only at {when:g} s' for url, when in late)} (the log: "
        f"{web.tell()}): start every fetch in one nursery with start_soon before waiting for "
        f"any of them (a nursery opened per fetch waits for that fetch before the next starts)"
    )


def assert_nothing_ran_after(web: FakeWeb, what: str) -> None:
    late = web.after_end()
    assert not late, (
        f"{what}, fetch_all ended at {web.ended_at():g} s, but fetches were still running after "
        f"that: {', '.join(f'{u} {e} at {t:g} s' for e, u, t in late)}. In trio no task outlives "
        f"the block that started it: start the fetches in a nursery, which waits for every one "
        f"of them (the whole log: {web.tell()})"
    )


# -- results, order, concurrency ---------------------------------------------------------------------


@pytest.mark.points(1)
def test_five_fetches_overlap_and_results_keep_urls_order(student):
    latencies = {"a": 3.5, "b": 1.25, "c": 2.75, "d": 0.5, "e": 3.0}
    web = FakeWeb(latencies)
    call = call_fetch_all(student, web, latencies, per_request=8.0, overall=60.0)
    assert_no_instant_deadline(web)
    assert_all_started_at_once(web)
    assert call.returned, f"every fetch succeeded within the limits, but fetch_all {call.outcome()}"
    assert web.peak == len(latencies), (
        f"at most {web.peak} fetch(es) ran at the same time, out of {len(latencies)}: start them "
        f"all at once in a nursery (nursery.start_soon) instead of awaiting them one after "
        f"another (the log: {web.tell()})"
    )
    expected = [body(url) for url in latencies]
    assert call.result == expected, (
        f"fetch_all returned {call.result!r}; expected the bodies in the order of `urls`, "
        f"{expected!r}, whatever order the fetches finish in (they finished d, b, c, e, a): "
        f"store each result at its url's index"
    )
    assert web.ended_at() == max(latencies.values()), (
        f"the slowest fetch took {max(latencies.values()):g} s and they all ran at once, but "
        f"fetch_all ended {web.ended_at():g} s after it was called: it should end the moment "
        f"the last fetch is done (the log: {web.tell()})"
    )
    assert_nothing_ran_after(web, "with five fetches that all succeed")

    web = FakeWeb({})
    call = call_fetch_all(student, web, [], per_request=8.0, overall=60.0)
    empty = call.returned and call.result == []
    assert empty, f"with no urls, fetch_all should return [] at once, but it {call.outcome()}"
    assert web.ended_at() == 0.0, (
        f"with no urls, fetch_all took {web.ended_at():g} s: with nothing to fetch it has "
        f"nothing to wait for"
    )


# -- per-request timeouts -----------------------------------------------------------------------------


@pytest.mark.points(1)
def test_slow_requests_give_none_cancelled_exactly_at_per_request(student):
    latencies = {"a": 0.5, "b": 6.0, "c": 2.5, "d": 40.0}
    web = FakeWeb(latencies)
    call = call_fetch_all(student, web, latencies, per_request=4.0, overall=60.0)
    assert_no_instant_deadline(web)
    assert_all_started_at_once(web)
    if not call.returned:
        groups = "" if call.hung else leaves(call.error)
        hint = (
            " (TooSlowError comes from trio.fail_after, which turns the timeout into an error; "
            "trio.move_on_after just leaves its block, so the result stays None)"
            if any(isinstance(e, trio.TooSlowError) for e in groups) else ""
        )
        pytest.fail(
            f"b and d take longer than per_request=4 s, so their results should be None, but "
            f"fetch_all {call.outcome()}{hint} (the log: {web.tell()})",
            pytrace=False,
        )
    expected = [body("a"), None, body("c"), None]
    reordered = isinstance(call.result, list) and call.result != expected and (
        sorted(map(repr, call.result)) == sorted(map(repr, expected))
    )
    assert not reordered, (
        f"with per_request=4 s, fetch_all returned {call.result!r}: the right results, in the "
        f"wrong order. Expected {expected!r}: store each result (None included) at its url's "
        f"index, whatever order the fetches end in"
    )
    assert call.result == expected, (
        f"with per_request=4 s, fetches a (0.5 s) and c (2.5 s) succeed and b (6 s) and d (40 s) "
        f"are too slow: expected {expected!r}, got {call.result!r}. The timeout must apply to "
        f"each fetch: a cancel scope covers the code inside its `with` block, and a task started "
        f"with start_soon does not run inside the `with` around the start_soon call (the log: "
        f"{web.tell()})"
    )
    stories = web.stories()
    for url in ("b", "d"):
        assert stories[url] == [("started", 0.0), ("cancelled", 4.0)], (
            f"fetch {url} should have been cancelled exactly 4 s (per_request) after it started; "
            f"what happened to it: {stories[url]} (per_request is a duration, counted from the "
            f"start of the request: trio.move_on_after, not move_on_at)"
        )
    assert web.ended_at() == 4.0, (
        f"the slow fetches were cancelled at 4 s, when nothing else was left to do, but "
        f"fetch_all ended at {web.ended_at():g} s (the log: {web.tell()})"
    )
    assert_nothing_ran_after(web, "with two requests too slow")


# -- the overall deadline -----------------------------------------------------------------------------


@pytest.mark.points(1)
def test_overall_deadline_raises_too_slow_error_after_every_fetch_ended(student):
    latencies = {"a": 1.0, "b": 6.5, "c": 9.0}
    web = FakeWeb(latencies, cleanup=CLEANUP)
    call = call_fetch_all(student, web, latencies, per_request=8.0, overall=5.0)
    assert_no_instant_deadline(web)
    assert_all_started_at_once(web)
    assert_nothing_ran_after(web, "when the overall deadline passed")
    ended = web.ended_at()
    if not call.hung and call.returned and ended > 5.0 + CLEANUP:
        pytest.fail(
            f"with overall=5 s, fetch_all should raise trio.TooSlowError 5 s after it was "
            f"called, but it returned {call.result!r} at {ended:g} s (the log: {web.tell()}). The "
            f"overall deadline must cover the fetches themselves: a cancel scope inside the "
            f"nursery body only covers the start_soon calls, which take no time; the waiting "
            f"happens where the nursery block ends. Put trio.fail_after around the nursery",
            pytrace=False,
        )
    raised = not call.hung and not call.returned
    assert raised, (
        f"with overall=5 s, fetches b (6.5 s) and c (9 s) cannot finish in time, so fetch_all "
        f"should raise trio.TooSlowError, but it {call.outcome()} (the log: {web.tell()}). "
        f"trio.move_on_after leaves its block quietly; trio.fail_after raises TooSlowError"
    )
    assert isinstance(call.error, trio.TooSlowError), (
        f"with overall=5 s, fetch_all should raise trio.TooSlowError itself, but it raised "
        f"{describe(call.error)}: put one trio.fail_after(overall) around the nursery, so that "
        f"its cancellation stops every fetch and becomes TooSlowError outside the nursery"
    )
    stories = web.stories()
    assert stories["a"] == [("started", 0.0), ("done", 1.0)], (
        f"fetch a takes 1 s and should have succeeded; what happened to it: {stories['a']}"
    )
    for url in ("b", "c"):
        assert stories[url][:2] == [("started", 0.0), ("cancelled", 5.0)], (
            f"fetch {url} should have been cancelled exactly 5 s (overall) after fetch_all was "
            f"called; what happened to it: {stories[url]}. `overall` is a duration from the "
            f"call, and it covers the fetches themselves: put trio.fail_after around the nursery"
        )
    assert ended == 5.0 + CLEANUP, (
        f"the cancelled fetches b and c needed {CLEANUP:g} s to close their connections, until "
        f"{5.0 + CLEANUP:g} s, but fetch_all ended at {ended:g} s: it must wait until every "
        f"fetch has ended (a nursery does that for you)"
    )


# -- a failing fetch ----------------------------------------------------------------------------------


FAILING = {
    "a": 0.75,
    "b": (2.0, FetchError("b: 503 Service Unavailable")),
    "c": 7.0,
    "d": 30.0,
}


@pytest.mark.points(1)
def test_failing_fetch_cancels_the_others_and_waits_for_them(student):
    web = FakeWeb(dict(FAILING), cleanup=CLEANUP)
    call = call_fetch_all(student, web, FAILING, per_request=10.0, overall=60.0)
    assert_no_instant_deadline(web)
    assert_all_started_at_once(web)
    assert_nothing_ran_after(web, "after fetch b failed")
    stories = web.stories()
    assert stories["b"] == [("started", 0.0), ("failed", 2.0)], (
        f"fetch b should have started at once and failed at 2 s; what happened to it: "
        f"{stories['b']} (the log: {web.tell()})"
    )
    for url in ("c", "d"):
        assert stories[url][:2] == [("started", 0.0), ("cancelled", 2.0)], (
            f"fetch b failed at 2 s, so fetch {url} should have been cancelled at that very "
            f"moment; what happened to it: {stories[url]}. A nursery cancels the other children "
            f"as soon as one raises: do not catch the fetch's exception (and never catch "
            f"trio.Cancelled, a BaseException) (fetch_all {call.outcome()}; the log: {web.tell()})"
        )
    assert web.ended_at() == 2.0 + CLEANUP, (
        f"fetches c and d were cancelled at 2 s and needed {CLEANUP:g} s to close their "
        f"connections, but fetch_all ended at {web.ended_at():g} s: it must end only once every "
        f"fetch has ended, and not later (the log: {web.tell()})"
    )


@pytest.mark.points(1)
def test_failing_fetch_error_propagates_in_an_exception_group(student):
    web = FakeWeb(dict(FAILING))
    error = FAILING["b"][1]
    call = call_fetch_all(student, web, FAILING, per_request=10.0, overall=60.0)
    assert_no_instant_deadline(web)
    assert_all_started_at_once(web)
    raised = not call.hung and not call.returned
    assert raised, (
        f"fetch b raised FetchError, but fetch_all {call.outcome()}: a failed fetch is not a "
        f"slow one; let its error propagate to the caller"
    )
    assert call.error is not error, (
        "fetch_all raised fetch b's FetchError itself. The contract is the nursery's own "
        "behaviour: since trio 0.25 a nursery always raises an ExceptionGroup, even for a single "
        "error, and fetch_all lets it propagate as it is (callers use `except* FetchError`): do "
        "not unwrap it"
    )
    assert isinstance(call.error, BaseExceptionGroup), (
        f"fetch b raised FetchError, and fetch_all raised {describe(call.error)}: let the "
        f"ExceptionGroup of the nursery, which holds that very FetchError, propagate unchanged"
    )
    found = leaves(call.error)
    only_that_error = len(found) == 1 and found[0] is error
    assert only_that_error, (
        f"fetch b raised FetchError('b: 503 Service Unavailable') and nothing else failed, but "
        f"fetch_all raised {describe(call.error)}: the group should hold exactly fetch b's own "
        f"exception, unchanged"
    )


# -- the caller's cancellation ------------------------------------------------------------------------


@pytest.mark.points(1)
def test_callers_cancel_scope_cancels_every_fetch_and_propagates(student):
    latencies = {"a": 1.0, "b": 6.0, "c": 20.0}
    web = FakeWeb(latencies, cleanup=CLEANUP)
    outcome: list = []

    async def main() -> None:
        await trio.sleep_until(START)
        with trio.move_on_after(DEADLINE) as guard:
            with trio.move_on_after(3.0) as caller:  # the caller gives up after 3 s
                try:
                    result = await student.fetch_all(
                        list(latencies), web.fetch, per_request=10.0, overall=60.0
                    )
                    outcome.append(f"returned {result!r}")
                except Exception as exc:
                    outcome.append(f"raised {describe(exc)}")
                finally:
                    web.note("fetch_all ended", None)
        outcome.append(caller.cancelled_caught)
        outcome.append(guard.cancelled_caught)
        await trio.sleep(LINGER)

    run_trio(main)
    *what, caller_caught, hung = outcome
    assert_no_instant_deadline(web)
    assert_all_started_at_once(web)
    assert_nothing_ran_after(web, "when the caller cancelled fetch_all")
    assert not hung, (
        f"the caller's cancel scope was cancelled 3 s after calling fetch_all, and fetch_all was "
        f"still running {DEADLINE:g} s later: never swallow trio.Cancelled (the log: {web.tell()})"
    )
    propagated = not what and caller_caught
    assert propagated, (
        f"the code that called fetch_all ran it in a cancel scope that was cancelled after 3 s, "
        f"so trio.Cancelled should have propagated out of fetch_all up to that scope, but "
        f"fetch_all {what[0] if what else 'ended without it'}. A cancellation is not yours to "
        f"catch: never catch trio.Cancelled (a BaseException), e.g. with `except BaseException` "
        f"(the log: {web.tell()})"
    )
    stories = web.stories()
    for url in ("b", "c"):
        assert stories[url] == [("started", 0.0), ("cancelled", 3.0), ("closed", 3.0 + CLEANUP)], (
            f"the caller cancelled fetch_all 3 s after calling it, so fetch {url} should have "
            f"been cancelled then, and waited for while it closed its connection; what happened "
            f"to it: {stories[url]}"
        )
    assert web.ended_at() == 3.0 + CLEANUP, (
        f"the cancelled fetches needed {CLEANUP:g} s to close their connections, but fetch_all "
        f"ended at {web.ended_at():g} s: it must end only once every fetch has ended"
    )
