"""What hidden graders and public tests import: test doubles that count and log instead of timing.

Graders replace the student's dependencies with doubles from here and assert on what they recorded
(brief, section 3: "count, don't time"):

- ``ConcurrencyProbe``: how many calls were in flight at once, and the peak;
- ``EventLog``: an ordered log of events, asserted as a whole;
- ``now()``: the running loop's (virtual) clock;
- ``must_finish(call)``: bound an awaited student call in virtual time, failing in words if it hangs;
- ``other_pending_tasks()``: what the student's code left running;
- ``cancel_at_each_await`` / ``count_suspensions`` / ``run_cancelled_after``: cancellation checks.

Example::

    async def test_downloads_overlap(student):
        probe = ConcurrencyProbe()
        async def fake_fetch(url, latency):
            async with probe:
                await asyncio.sleep(latency)
        ...
        assert probe.peak == 10
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest

from grader.cancellation import (
    CancelRun,
    cancel_at_each_await,
    count_suspensions,
    run_cancelled_after,
)

__all__ = [
    "CancelRun",
    "ConcurrencyProbe",
    "EventLog",
    "cancel_at_each_await",
    "count_suspensions",
    "must_finish",
    "now",
    "on_loop_thread",
    "other_pending_tasks",
    "run_cancelled_after",
]


def now() -> float:
    """The running loop's clock: virtual seconds under the grading loop, starting at 0.0."""
    return asyncio.get_running_loop().time()


@contextlib.asynccontextmanager
async def must_finish(call: str, within: float = 60) -> AsyncIterator[None]:
    """Bound an awaited student call in (virtual) time; if it never finishes, fail in words.

    Under the grading loop a deadlock ends at once: the clock jumps to the deadline.

    Example::

        async with must_finish("fetch_all(urls, 1.0)"):
            bodies = await student.fetch_all(urls, 1.0)
    """
    try:
        async with asyncio.timeout(within):
            yield
    except TimeoutError:
        pytest.fail(
            f"{call} was still running after {within:g} s and never finished: is something "
            f"awaited that nothing will ever complete?",
            pytrace=False,
        )


def other_pending_tasks() -> list[asyncio.Task[Any]]:
    """Tasks of the running loop still pending, apart from the caller's own.

    Example::

        assert not other_pending_tasks(), "fetch_all left downloads running"
    """
    me = asyncio.current_task()
    return [t for t in asyncio.all_tasks() if t is not me and not t.done()]


def on_loop_thread() -> bool:
    """True when called on the thread that runs the event loop (a blocking double uses this)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class ConcurrencyProbe:
    """Counts calls in flight; usable as ``async with probe:`` or ``with probe:`` (threads too).

    >>> probe = ConcurrencyProbe()
    >>> with probe:
    ...     with probe:
    ...         probe.in_flight
    2
    >>> probe.peak, probe.calls, probe.in_flight
    (2, 2, 0)
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.calls = 0
        self.finished = 0

    def __enter__(self) -> ConcurrencyProbe:
        with self._lock:
            self.calls += 1
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.in_flight -= 1
            if exc[0] is None:
                self.finished += 1

    async def __aenter__(self) -> ConcurrencyProbe:
        return self.__enter__()

    async def __aexit__(self, *exc: object) -> None:
        self.__exit__(*exc)


class EventLog:
    """An ordered record of what happened, compared as a whole.

    >>> log = EventLog()
    >>> log("fetch", 0); log("close")
    >>> log.events
    [('fetch', 0), ('close',)]
    >>> log.count("close")
    1
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.events: list[tuple[Any, ...]] = []

    def __call__(self, *event: Any) -> None:
        with self._lock:
            self.events.append(event)

    def count(self, name: str) -> int:
        """How many events start with ``name``."""
        return sum(1 for e in self.events if e and e[0] == name)

    def names(self) -> list[Any]:
        """The first element of every event, in order."""
        return [e[0] for e in self.events if e]
