"""Doubles for the hidden grader of cpu_in_processes, in a module of their own so that they pickle.

A process pool sends the work function to its workers by *name*: a worker (started with ``spawn``)
imports this module by its name, ``_doubles``, from the hidden tests' directory, which pytest put on
``sys.path`` and a spawned child inherits. So the double is a module-level class; only the standard
library is imported here, to keep a worker's start-up cheap.

``Job(lab, main_pid)`` is what the grader passes to ``crunch_all(numbers, func=...)``. Called with
``n`` it returns a ``Crunched(n, value, pid, gate)`` and talks to the grader through files in the
``lab`` directory (the only channel that works across processes whatever the start method):

- ``started-<n>`` and ``finished-<n>``: the job began and ended (the grader counts jobs in flight);
- it then waits until the grader creates ``gate-<n>`` or ``gate-all``. The grader's heartbeat, a
  coroutine on the event loop, opens the gates: if the loop is blocked, nobody opens them, and the
  job gives up after ``GATE_WAIT`` seconds (``gate="timed out"``), which the grader reports.

Called in the grader's own process on the loop's thread (``crunch_all`` called ``func`` directly), it
burns the CPU for a second (the first time in a test) like real CPU-heavy work would, so that the
blocking watchdog names the line. Every call in the grader's own process is recorded in
``CALLS_IN_MAIN_PROCESS``; a result sent back from a worker notes its arrival in ``ARRIVED``.

A worker process that ran a job takes ``EXIT_DELAY`` seconds to exit once the pool is shut down,
so that a shutdown which waits for the workers *on the loop thread* (``with ProcessPoolExecutor()``
inside the coroutine, or ``pool.shutdown()``) blocks the loop long enough to be seen every time,
rather than only when the machine is busy.
"""

import multiprocessing.util
import os
import threading
import time
from pathlib import Path
from typing import NamedTuple

GATE_WAIT = 10.0  # seconds a job waits for its gate before giving up (the loop must be blocked)
POLL = 0.005
EXIT_DELAY = 1.0  # seconds a worker process that ran a job takes to exit
CPU_BURN = 1.0  # seconds a job burns the CPU when it runs on the event loop's own thread

CALLS_IN_MAIN_PROCESS: list[tuple[int, str]] = []
# Numbers whose result has come back to the grader's process (unpickled there): see Crunched.
ARRIVED: list[int] = []


class Crunched(NamedTuple):
    """What a ``Job`` returns: the number, its value, the pid that computed it, how the gate went."""

    n: int
    value: int
    pid: int
    gate: str

    def __reduce__(self):
        # Sent back from a worker, the result is rebuilt by `_arrived` in the grader's process,
        # which notes that it has arrived: the grader knows the pool has delivered it.
        return _arrived, tuple(self)


def _arrived(n: int, value: int, pid: int, gate: str) -> Crunched:
    ARRIVED.append(n)
    return Crunched(n, value, pid, gate)


def value_of(n: int) -> int:
    """The value a ``Job`` computes for ``n``."""
    return n * n + 1  # any pure function would do


class Job:
    """The work function double: picklable, and it reports where and when it ran (see the module)."""

    def __init__(self, lab: str, main_pid: int, fail_on: int | None = None) -> None:
        self.lab = lab
        self.main_pid = main_pid
        self.fail_on = fail_on

    def __repr__(self) -> str:
        return "<the grader's job function>"

    def __call__(self, n: int) -> Crunched:
        pid = os.getpid()
        on_main_thread = threading.current_thread() is threading.main_thread()
        if pid == self.main_pid:
            CALLS_IN_MAIN_PROCESS.append((n, "loop thread" if on_main_thread else "thread"))
            if on_main_thread:
                if not any(where == "loop thread" for _, where in CALLS_IN_MAIN_PROCESS[:-1]):
                    _burn_cpu(CPU_BURN)  # once per test: enough for the watchdog to see it
                return self._result(n, pid, "not used")
        _exit_slowly()
        lab = Path(self.lab)
        (lab / f"started-{n}").touch()
        try:
            gate = _wait_for_gate(lab, n)
            return self._result(n, pid, gate)
        finally:
            (lab / f"finished-{n}").touch()

    def _result(self, n: int, pid: int, gate: str) -> Crunched:
        if n == self.fail_on:
            raise ValueError(f"cannot crunch {n}")
        return Crunched(n, value_of(n), pid, gate)


def _wait_for_gate(lab: Path, n: int) -> str:
    deadline = time.monotonic() + GATE_WAIT
    while time.monotonic() < deadline:
        if (lab / f"gate-{n}").exists() or (lab / "gate-all").exists():
            return "opened"
        time.sleep(POLL)
    return "timed out"


_exit_delay_registered = False


def _exit_slowly() -> None:
    """Make this worker process take EXIT_DELAY seconds to exit, as one with much to free would."""
    global _exit_delay_registered
    if not _exit_delay_registered:
        # Runs when the worker leaves, after the pool's shutdown has told it to.
        multiprocessing.util.Finalize(None, time.sleep, args=(EXIT_DELAY,), exitpriority=0)
        _exit_delay_registered = True


def _burn_cpu(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
