"""The event loop every graded test runs on: virtual time, plus hooks for the blocking watchdog.

Virtual time: ``loop.time()`` starts at 0.0 and, whenever the loop has nothing ready to run and
nothing can wake it but a timer, jumps straight to the next timer (on a whole nanosecond) instead
of sleeping. Ten
concurrent ``asyncio.sleep(1)`` therefore end at exactly ``loop.time() == 1.0`` after a fraction of a
millisecond of real time, and a sequential version at exactly 10.0, however loaded the machine is.

Time only jumps when jumping cannot change what the program observes. While work is in flight that
a timer must not overtake (a ``run_in_executor``/``to_thread`` job, or a file descriptor other than
the loop's own wake-up pipe, such as a socket or a subprocess pipe), the loop waits in real time
and the virtual clock advances by the real time that passed. A thread started by hand that calls
``call_soon_threadsafe`` is not seen: graders of such code use ``@pytest.mark.real_time``.

Code that polls (``while not done: await asyncio.sleep(0)``) never leaves the loop idle; after
``SPIN_TURNS`` busy turns in a row with a timer pending, the clock moves to that timer, as real time
would have moved while it spun.

``time.sleep`` and ``time.monotonic()`` are untouched: a coroutine that blocks in ``time.sleep``
blocks for real (and the watchdog reports it); a deadline computed with ``time.monotonic()``
spins (teach ``loop.time()``).

Example::

    >>> import asyncio
    >>> loop = GradingLoop()
    >>> async def main():
    ...     await asyncio.gather(*(asyncio.sleep(1) for _ in range(10)))
    ...     return asyncio.get_running_loop().time()
    >>> loop.run_until_complete(main())
    1.0
    >>> loop.close()
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import selectors
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

# Busy loop turns in a row (work always ready, a timer pending) after which the clock moves on.
SPIN_TURNS = 1000


class LoopObserver(Protocol):
    """What the loop tells the watchdog: when it goes idle (into select) and when it wakes up."""

    def loop_idle(self) -> None: ...

    def loop_busy(self) -> None: ...


class _ObservedSelector:
    """Wraps the loop's selector: time jumps here, and the watchdog learns when the loop is idle."""

    def __init__(self, selector: selectors.BaseSelector, loop: GradingLoop) -> None:
        self._selector = selector
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        return getattr(self._selector, name)

    def select(self, timeout: float | None = None) -> list:
        loop = self._loop
        observer = loop.observer
        if observer is not None:
            observer.loop_idle()
        try:
            if loop.virtual and timeout == 0:
                return loop._spin_turn(self._selector)
            if not loop.virtual:
                return self._selector.select(timeout)
            loop._spins = 0
            if timeout is None or loop._must_wait_in_real_time(self._selector):
                return self._select_real(timeout)
            events = self._selector.select(0)
            if not events:
                loop._jump_to_next_timer(timeout)
            return events
        finally:
            if observer is not None:
                observer.loop_busy()

    def _select_real(self, timeout: float | None) -> list:
        # Work elsewhere (a thread, a socket) may wake us before the timer: wait for real, and
        # let the virtual clock advance by the real time that passed.
        loop = self._loop
        start = time.perf_counter()
        events = self._selector.select(timeout)
        elapsed = time.perf_counter() - start
        if not events and timeout is not None and timeout > 0:
            # The wait ran out: land exactly on the timer that bounded it.
            loop._jump_to_next_timer(timeout)
        else:
            loop._advance(elapsed)
        return events


class GradingLoop(asyncio.SelectorEventLoop):
    """A selector event loop with an optional virtual clock and an observer for blocking detection.

    ``virtual=False`` keeps the real clock (for code whose timing depends on threads started by
    hand); the observer works either way.
    """

    def __init__(self, *, virtual: bool = True, observer: LoopObserver | None = None) -> None:
        self.virtual = virtual
        self.observer = observer
        self._virtual_now = 0.0
        self._spins = 0
        self._jobs_lock = threading.Lock()
        self._jobs_in_flight = 0
        self._own_fds: set[int] = set()
        super().__init__(selector=_ObservedSelector(selectors.DefaultSelector(), self))
        # The wake-up pipe is the loop's own: it never holds real I/O the clock must wait for.
        self._own_fds = {self._ssock.fileno()}

    # -- the clock ---------------------------------------------------------------------------------

    def time(self) -> float:
        if self.virtual:
            return self._virtual_now
        return super().time()

    def _advance(self, seconds: float) -> None:
        if seconds > 0:
            self._virtual_now += seconds

    def _jump_to_next_timer(self, timeout: float) -> None:
        # Land on the timer's own deadline rather than now + timeout, and on a whole nanosecond:
        # sixty `sleep(0.1)` in a row then end at 6.0, not at the 5.999999999999995 that adding
        # 0.1 sixty times gives. Rounding moves the clock by at most half a nanosecond, less than
        # the loop's clock resolution, so a timer is always due once the clock lands on it.
        target = self._scheduled[0].when() if self._scheduled else self._virtual_now + timeout
        landed = round(target, 9)
        if landed + self._clock_resolution <= target:
            landed = target
        self._virtual_now = max(self._virtual_now, landed)

    def _spin_turn(self, selector: selectors.BaseSelector) -> list:
        # A turn with work ready. Code that polls (`while not done: await asyncio.sleep(0)`) keeps
        # the loop from ever being idle, so the clock would never move and a timer it waits for
        # would never fire; in real life spinning takes time. After SPIN_TURNS busy turns in a
        # row with a timer pending, let the clock move to that timer. Counted, not timed: the
        # same program gives the same times on any machine.
        events = selector.select(0)
        self._spins += 1
        if self._spins >= SPIN_TURNS and self._scheduled and not self._must_wait_in_real_time(selector):
            self._spins = 0
            self._jump_to_next_timer(0)
        return events

    def _must_wait_in_real_time(self, selector: selectors.BaseSelector) -> bool:
        with self._jobs_lock:
            if self._jobs_in_flight:
                return True
        return any(fd not in self._own_fds for fd in selector.get_map())

    # -- work in other threads -----------------------------------------------------------------------

    def run_in_executor(self, executor: Any, func: Callable[..., Any], *args: Any) -> Any:
        future = super().run_in_executor(executor, func, *args)
        with self._jobs_lock:
            self._jobs_in_flight += 1
        future.add_done_callback(self._job_done)
        return future

    def _job_done(self, _future: Any) -> None:
        with self._jobs_lock:
            self._jobs_in_flight -= 1
        if threading.get_ident() != self._thread_id:
            # A thread finished the work (a concurrent future's callback runs in the thread that
            # completed it, possibly after the loop already saw the asyncio side done and went
            # into a real-time wait bounded by a far timer): wake the loop, so that it looks
            # again and lets the clock jump, instead of sleeping out that timer in real time.
            self._write_to_self()

    def track(self, work: concurrent.futures.Future[Any]) -> None:
        """Count ``work`` (a future another thread completes) as in flight until it is done."""
        with self._jobs_lock:
            self._jobs_in_flight += 1
        work.add_done_callback(self._job_done)

    async def shutdown_default_executor(self, *args: Any, **kwargs: Any) -> None:
        # Python 3.13 joins the executor's threads from a plain thread, inside a 300 s timeout:
        # count it as work in flight, or the clock would jump to the deadline and warn.
        with self._jobs_lock:
            self._jobs_in_flight += 1
        try:
            await super().shutdown_default_executor(*args, **kwargs)
        finally:
            self._job_done(None)


_original_wrap_future = asyncio.futures.wrap_future


def _wrap_future(future: Any, *, loop: Any = None) -> Any:
    wrapped = _original_wrap_future(future, loop=loop)
    target = wrapped.get_loop()
    foreign = isinstance(future, concurrent.futures.Future) and not future.done()
    if foreign and isinstance(target, GradingLoop):
        target.track(future)
    return wrapped


def install_wrap_future_hook() -> None:
    """Make ``asyncio.wrap_future(pool.submit(...))`` hold the virtual clock like ``run_in_executor``.

    A GradingLoop cannot see work submitted to an executor directly: only the wrapping tells it
    that a thread will complete a future. Other loops are not affected.
    """
    asyncio.futures.wrap_future = asyncio.wrap_future = _wrap_future


def virtual_loop_factory() -> GradingLoop:
    """Loop factory for pytest-asyncio: a GradingLoop with virtual time."""
    return GradingLoop(virtual=True)


def real_loop_factory() -> GradingLoop:
    """Loop factory for pytest-asyncio: a GradingLoop on the real clock."""
    return GradingLoop(virtual=False)
