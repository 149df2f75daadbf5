"""Hidden grader for lelo_parallel.

lelo's ``parallel`` needs the ``fork`` start method (graded runs use ``spawn`` by default), so the
autouse fixture switches to ``fork`` for each test, restores the previous method afterwards, and
joins every child process the test started (lelo never joins its processes).

"Every call was started before the first result was used" is checked structurally, not by timing:
the ``lelo`` fixture instruments lelo's proxy class in this process (``CallWrapper.__init__`` starts
a call, the ``_value`` property is the first use of a proxy) and logs both, so the order of the log
is the verdict. It also makes the first use wait at most ``VALUE_WAIT`` seconds for the value (lelo
would wait forever if a child died), and when a proxy is used before all the calls of the batch
were started it breaks the batch's barrier at once, so a gated double stops waiting for calls that
can never come. The ``digest`` doubles are closures: under ``fork`` the child inherits them (and the
barrier) without pickling. A double never raises: lelo's child would then never deliver a value.
"""

import multiprocessing
import os
import queue
import threading
import zlib

import pytest
from lelo._lelo import CallWrapper

# The public tests' autouse fixture (fork for the test's duration, every child reaped after it):
# imported, it applies here too. Graded runs collect the public module first, so it is importable.
from test_lelo_parallel import fork_and_reap  # noqa: F401

from grader.testing import EventLog

pytestmark = pytest.mark.exercise("lelo_parallel")

GATE_WAIT = 20.0  # seconds a gated call waits for the rest of the batch (a broken gate: at once)
VALUE_WAIT = 20.0  # seconds the first use of a proxy waits for its value before failing the test
MISSED = -1  # what a gated double returns when the batch never ran all at once

BLOCKS = [bytes(range(256)) * 4, b"lelo" * 200, b"\x00\xff" * 300, b"zz" * 150, b"\x07"]


class LeloProbe:
    """Logs ("call", start method) when a lelo call starts and ("use",) when a proxy is first used."""

    def __init__(self) -> None:
        self.log = EventLog()
        self.batch = 0
        self.gate = None  # a multiprocessing.Barrier, once armed

    def arm(self, batch: int, gate) -> None:
        """A use before ``batch`` calls were started breaks ``gate``: the waiting double gives up."""
        self.batch, self.gate = batch, gate

    def calls(self) -> int:
        return self.log.count("call")

    def uses(self) -> int:
        return self.log.count("use")

    def calls_before_first_use(self) -> int:
        names = self.log.names()
        return names.index("use") if "use" in names else len(names)


@pytest.fixture
def lelo(monkeypatch):
    probe = LeloProbe()
    start_call = CallWrapper.__init__

    def init(self, func, args, kw):
        probe.log("call", multiprocessing.get_start_method())
        start_call(self, func, args, kw)

    def value(self):
        if not object.__getattribute__(self, "_computed"):
            probe.log("use")
            if probe.gate is not None and probe.calls() < probe.batch:
                probe.gate.abort()
            results = object.__getattribute__(self, "_queue")
            try:
                real = results.get(timeout=VALUE_WAIT)
            except queue.Empty:
                raise AssertionError(
                    f"a lelo call delivered no result within {VALUE_WAIT:.0f} s: did its process die?"
                ) from None
            object.__setattr__(self, "_real_value", real)
            object.__setattr__(self, "_computed", True)
        return object.__getattribute__(self, "_real_value")

    monkeypatch.setattr(CallWrapper, "__init__", init)
    monkeypatch.setattr(CallWrapper, "_value", property(value))
    return probe


def gated_digest(gate, here):
    """A digest double: waits until the whole batch is running in other processes, else MISSED."""

    def gated(block):
        if os.getpid() == here:
            gate.abort()  # called in the test's own process: the batch can never all be running
            return MISSED
        try:
            gate.wait()
        except threading.BrokenBarrierError:
            return MISSED
        return zlib.adler32(block)

    return gated


def assert_one_lelo_call_per_block(probe: LeloProbe, n: int) -> None:
    calls = probe.calls()
    assert calls, (
        "checksums never called a function wrapped by lelo's `parallel`: use "
        "`from lelo import parallel` and run every `digest(block)` through it"
    )
    assert calls == n, f"checksums started {calls} lelo calls for {n} blocks: start exactly one per block"
    methods = {event[1] for event in probe.log.events if event[0] == "call"}
    assert methods == {"fork"}, f"internal: lelo calls were started with {methods}, not fork"


@pytest.mark.points(2)
def test_every_call_is_started_before_any_result_is_used(student, lelo):
    n = len(BLOCKS)
    gate = multiprocessing.Barrier(n, timeout=GATE_WAIT)
    lelo.arm(n, gate)
    result = student.checksums(BLOCKS, gated_digest(gate, os.getpid()))
    assert_one_lelo_call_per_block(lelo, n)
    started = lelo.calls_before_first_use()
    assert started == n, (
        f"checksums used a result (int(), +, ==, print, an f-string... all wait for the value) when "
        f"only {started} of the {n} calls had been started: from then on each call waited for the "
        f"previous one, one block at a time. A lazy map() chain does this too. Start every call "
        f"first, keep the proxies, and use them only afterwards"
    )
    values = [int(value) for value in result]
    assert MISSED not in values, (
        f"checksums returned {values}: the {n} calls were never all running at the same time"
    )
    assert values == [zlib.adler32(block) for block in BLOCKS], f"wrong checksums: {values}"


@pytest.mark.points(2)
def test_results_are_plain_ints_in_block_order(student, lelo):
    result = student.checksums(BLOCKS)
    expected = [zlib.adler32(block) for block in BLOCKS]
    assert type(result) is list, f"checksums should return a list, not a {type(result).__name__}"
    kinds = [type(value).__name__ for value in result]
    assert kinds == ["int"] * len(BLOCKS), (
        f"checksums returned values of types {kinds}: a lelo proxy prints like its value, but it is "
        f"not an int (isinstance(p, int) is False, bool(p) raises TypeError, it cannot be pickled) and "
        f"nothing has waited for its process. Turn every proxy into an int before returning"
    )
    assert result == expected, f"checksums returned {result}, expected {expected}, in block order"
    assert lelo.uses() == lelo.calls(), (
        f"checksums started {lelo.calls()} lelo calls but used only {lelo.uses()} of their results"
    )


@pytest.mark.points(1)
def test_each_call_runs_in_a_process_of_its_own(student, lelo):
    n = 4
    blocks = BLOCKS[:n]
    gate = multiprocessing.Barrier(n, timeout=GATE_WAIT)
    lelo.arm(n, gate)
    here = os.getpid()

    def pid_of_worker(block):
        """Returns the pid it ran in, once all the calls are running (MISSED if they never are)."""
        if gated_digest(gate, here)(block) == MISSED:
            return MISSED
        return os.getpid()

    pids = [int(pid) for pid in student.checksums(blocks, pid_of_worker)]
    assert len(pids) == n, f"{n} blocks, but checksums returned {len(pids)} results"
    assert MISSED not in pids, (
        f"digest did not run in {n} processes of their own, all at the same time (it ran in the test's "
        f"own process, or one call after the other): each call must be a lelo call, started before "
        f"any result is used"
    )
    assert len(set(pids)) == n, f"the {n} calls ran in only {len(set(pids))} processes: one per block"
    assert_one_lelo_call_per_block(lelo, n)


@pytest.mark.points(1)
def test_checksum_itself_stays_a_plain_function(student, lelo):
    block = BLOCKS[1]
    value = student.checksum(block)
    assert type(value) is int, (
        f"checksum(block) returned a {type(value).__module__}.{type(value).__name__}, not an int: "
        f"keep `checksum` a plain function that returns an int in the caller's process (other code "
        f"calls it for a single block). Decorating it with @parallel makes every caller fork a "
        f"process and receive a proxy; wrap it where checksums calls it instead"
    )
    assert value == zlib.adler32(block), f"checksum changed: it returned {value}, not Adler-32"
