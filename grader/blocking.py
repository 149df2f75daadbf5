"""Blocking detection: a watchdog thread that sees the event loop stall and names the line.

The loop tells the watchdog (through ``GradingLoop``'s observer hooks) each time it goes idle (into
``select``) and wakes up. Between the two it is running callbacks; that should take microseconds.
When one stretch lasts longer than the threshold (250 ms by default: correct code under heavy load
was never seen to lag more than 30 ms), the watchdog samples the loop thread's stack with
``sys._current_frames()`` and blames the innermost frame that belongs to the student's file,
naming the exact expression being evaluated there (``time.sleep(latency)``). The loop thread's CPU
clock tells a thread that sleeps or waits (``time.sleep``, a blocking call) from one that spins (a CPU
loop), so the advice fits the mistake.

Only stalls with a student frame on the stack count: a slow grader or a busy machine is never
blamed on the student. A stall longer than ``interrupt_after`` (or any stall once the verdict is
already known) is interrupted with a signal whose handler raises ``LoopBlocked`` inside the student's
code, so a blocked test ends in seconds rather than at the timeout.

Example::

    >>> import asyncio, time
    >>> from grader.loop import GradingLoop
    >>> watchdog = Watchdog(student_files={__file__}, threshold=0.25)
    >>> loop = GradingLoop(observer=watchdog)                       # doctest: +SKIP
    >>> loop.run_until_complete(some_blocking_coroutine())          # doctest: +SKIP
    >>> watchdog.stop(); watchdog.events[0].message()               # doctest: +SKIP
    'your code blocked the event loop for 1.0 s at fix_blocking.py:12 (`time.sleep(1.0)`) ...'
"""

from __future__ import annotations

import ast
import functools
import linecache
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

# Advice for the calls students most often make in a coroutine, keyed by the called name's tail.
_ADVICE = {
    "time.sleep": "use `await asyncio.sleep(...)`, which lets other coroutines run meanwhile",
    "sleep": "use `await asyncio.sleep(...)`, which lets other coroutines run meanwhile",
    "requests.get": "use an async client, or run it in a thread with `await asyncio.to_thread(...)`",
    "urlopen": "run it in a thread with `await asyncio.to_thread(...)`",
    "input": "read input outside the event loop, or with `await asyncio.to_thread(input)`",
    "result": "a blocking `.result()` waits on the loop thread: `await` the future instead",
    "join": "joining a thread or process blocks the loop: `await asyncio.to_thread(t.join)`",
    "acquire": "a threading lock blocks the loop: use `asyncio.Lock` and `async with`",
    "get": "a blocking queue/get call blocks the loop: use `asyncio.Queue` and `await q.get()`",
    "run": "`asyncio.run()` inside a coroutine starts a second loop: `await` the coroutine instead",
}
_CPU_ADVICE = (
    "CPU-heavy work on the loop thread starves every other coroutine: move it to a process pool "
    "(`await loop.run_in_executor(pool, f, ...)`) or hand control back with `await asyncio.sleep(0)` "
    "every so often"
)
_BLOCKING_ADVICE = (
    "a blocking call on the loop thread stops every other coroutine: use its async counterpart, "
    "or run it in a thread with `await asyncio.to_thread(...)`"
)


# A thread that sleeps or waits uses next to no CPU; one that spins uses all it is given, which on
# a machine with four runnable processes per core is still well above a fifth of the wall time.
CPU_RATIO = 0.2


class LoopBlocked(BaseException):
    """Raised inside a student's code to end a stall that has already decided the verdict.

    A BaseException, not an Exception, so that a student's ``except Exception`` cannot swallow it.
    """


@dataclass
class BlockingEvent:
    """One stall of the loop thread, blamed on a line of the student's code."""

    duration: float
    filename: str
    lineno: int
    expression: str
    cpu_bound: bool
    interrupted: bool = False

    @property
    def location(self) -> str:
        return f"{Path(self.filename).name}:{self.blamed()[0]}"

    def blamed(self) -> tuple[int, str]:
        """The line and text to show. A spinning loop is sampled at a random line of its body,
        so name the loop's own header instead: the same message every run."""
        if self.cpu_bound:
            header = enclosing_loop(self.filename, self.lineno)
            if header is not None:
                return header
        return self.lineno, self.expression

    def advice(self) -> str:
        if self.cpu_bound:
            return _CPU_ADVICE
        called = _called_name(self.expression)
        for key in (called, called.rsplit(".", 1)[-1]):
            if key in _ADVICE:
                return _ADVICE[key]
        return _BLOCKING_ADVICE

    def message(self) -> str:
        """The teaching message, e.g. "your code blocked the event loop for 1.0 s at ..."."""
        what = "a CPU-bound loop" if self.cpu_bound else "a blocking call"
        howlong = f"more than {self.duration:.1f} s" if self.interrupted else f"{self.duration:.1f} s"
        _, expression = self.blamed()
        expr = f" (`{expression}`)" if expression else ""
        return (
            f"your code blocked the event loop for {howlong} at {self.location}{expr}, "
            f"{what} on the loop thread: {self.advice()}."
        )


@functools.lru_cache(maxsize=64)
def _loops(filename: str) -> tuple[tuple[int, int], ...]:
    try:
        tree = ast.parse(Path(filename).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return ()
    return tuple(
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, ast.For | ast.While | ast.AsyncFor)
    )


def enclosing_loop(filename: str, lineno: int) -> tuple[int, str] | None:
    """The header (line, text) of the innermost ``for``/``while`` loop around ``lineno``."""
    around = [(start, end) for start, end in _loops(filename) if start <= lineno <= end]
    if not around:
        return None
    start = max(around)[0]
    return start, " ".join(linecache.getline(filename, start).split())


def _called_name(expression: str) -> str:
    head = expression.split("(", 1)[0].strip()
    return head.removeprefix("await ").strip()


def current_expression(frame: FrameType) -> tuple[int, str]:
    """The line and the source text of the expression ``frame`` is evaluating right now.

    Uses the instruction positions of Python 3.11+, so for a frame waiting in a call it is the whole
    call, ``time.sleep(latency)``, rather than the whole line.
    """
    code = frame.f_code
    lineno = frame.f_lineno
    try:
        positions = list(code.co_positions())
        start, end, col, end_col = positions[frame.f_lasti // 2]
    except (IndexError, ValueError):
        start = end = col = end_col = None
    if start is not None and start == end and col is not None and end_col is not None:
        text = " ".join(linecache.getline(code.co_filename, start)[col:end_col].split())
        if "(" in text:  # a call: name exactly what is being called
            return start, text
        lineno = start
    line = linecache.getline(code.co_filename, lineno).strip()
    return lineno, line


class Watchdog:
    """Watches one loop thread; records a BlockingEvent for each stall in the student's code."""

    def __init__(
        self,
        student_files: set[str] | None = None,
        *,
        threshold: float = 0.25,
        interrupt_after: float | None = 2.0,
        poll: float = 0.02,
    ) -> None:
        self.student_files = {os.path.realpath(f) for f in (student_files or ())}
        self.threshold = threshold
        self.interrupt_after = interrupt_after
        self.poll = poll
        self.events: list[BlockingEvent] = []
        self._lock = threading.RLock()  # the signal handler may run while the loop thread holds it
        self._busy_since: float | None = None
        self._cpu_at_busy: float | None = None
        self._loop_thread: int | None = None
        self._cpu_clock: int | None = None
        self._pending: BlockingEvent | None = None
        self._interrupt_sent = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._old_handler = None

    def add_student_file(self, path: str | os.PathLike[str]) -> None:
        """Blame stalls in this file (the student module the test imported)."""
        with self._lock:
            self.student_files.add(os.path.realpath(path))

    # -- the loop's hooks (called on the loop thread) ------------------------------------------------

    def loop_busy(self) -> None:
        now = time.perf_counter()
        with self._lock:
            if self._loop_thread is None:
                self._bind_to_current_thread()
            self._busy_since = now
            self._cpu_at_busy = self._thread_cpu()

    def loop_idle(self) -> None:
        now = time.perf_counter()
        with self._lock:
            if self._pending is not None and self._busy_since is not None:
                # interrupted events keep the duration measured when they were interrupted
                if not self._pending.interrupted:
                    self._pending.duration = now - self._busy_since
                self.events.append(self._pending)
            self._pending = None
            self._busy_since = None
            self._interrupt_sent = False

    # -- lifecycle ---------------------------------------------------------------------------------

    def _bind_to_current_thread(self) -> None:
        self._loop_thread = threading.get_ident()
        try:
            self._cpu_clock = time.pthread_getcpuclockid(self._loop_thread)
        except (AttributeError, OSError):
            self._cpu_clock = None
        if threading.current_thread() is threading.main_thread() and self.interrupt_after:
            try:
                self._old_handler = signal.signal(signal.SIGUSR2, self._on_interrupt)
            except ValueError:
                self._old_handler = None
        self._thread = threading.Thread(target=self._watch, name="grader-watchdog", daemon=True)
        self._thread.start()

    def stop(self) -> list[BlockingEvent]:
        """Stop watching; return every event recorded, the one in progress included."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            if self._pending is not None:
                if self._busy_since is not None and not self._pending.interrupted:
                    self._pending.duration = time.perf_counter() - self._busy_since
                self.events.append(self._pending)
                self._pending = None
        if self._old_handler is not None:
            signal.signal(signal.SIGUSR2, self._old_handler)
            self._old_handler = None
        return self.events

    def _thread_cpu(self) -> float | None:
        if self._cpu_clock is None:
            return None
        try:
            return time.clock_gettime(self._cpu_clock)
        except OSError:
            return None

    # -- the watching thread -------------------------------------------------------------------------

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            with self._lock:
                since = self._busy_since
                if since is None or self._loop_thread is None:
                    continue
                stalled = time.perf_counter() - since
                # Once a stall is on record the verdict is known: stop further ones at once.
                if stalled < (self.poll * 2 if self.events else self.threshold):
                    continue
                if self._pending is None:
                    self._pending = self._sample(stalled)
                    if self._pending is None:
                        continue  # not the student's code: not the student's fault
                else:
                    cpu = self._thread_cpu()
                    if cpu is not None and self._cpu_at_busy is not None:
                        self._pending.cpu_bound = (cpu - self._cpu_at_busy) > CPU_RATIO * stalled
                limit = 0.0 if self.events else self.interrupt_after
                if limit is not None and stalled >= limit and not self._interrupt_sent:
                    self._interrupt(stalled)

    def _sample(self, stalled: float) -> BlockingEvent | None:
        frame = sys._current_frames().get(self._loop_thread)
        blamed = self._student_frame(frame)
        if blamed is None:
            return None
        lineno, expression = current_expression(blamed)
        cpu = self._thread_cpu()
        spinning = (
            cpu is not None
            and self._cpu_at_busy is not None
            and (cpu - self._cpu_at_busy) > CPU_RATIO * stalled
        )
        return BlockingEvent(stalled, blamed.f_code.co_filename, lineno, expression, spinning)

    def _student_frame(self, frame: FrameType | None) -> FrameType | None:
        while frame is not None:
            if os.path.realpath(frame.f_code.co_filename) in self.student_files:
                return frame
            frame = frame.f_back
        return None

    def _interrupt(self, stalled: float) -> None:
        if self._old_handler is None or self._pending is None:
            return
        self._pending.interrupted = True
        self._pending.duration = stalled
        self._interrupt_sent = True
        signal.pthread_kill(self._loop_thread, signal.SIGUSR2)

    def _on_interrupt(self, _signum: int, frame: FrameType | None) -> None:
        # Runs on the main (loop) thread between two bytecodes. Raise only inside the student's
        # code, so the loop's own machinery is never torn in the middle of a step.
        if self._student_frame(frame) is None:
            return
        with self._lock:
            # The raise ends only the task that is running now: other tasks may block again in
            # the same loop step (a gather of blocking coroutines). Close this stall and start
            # timing afresh, so the watchdog interrupts each of them in turn.
            if self._pending is not None:
                self.events.append(self._pending)
                self._pending = None
            self._busy_since = time.perf_counter()
            self._cpu_at_busy = self._thread_cpu()
            self._interrupt_sent = False
        raise LoopBlocked("the event loop was blocked; the grader stopped the blocking code")
