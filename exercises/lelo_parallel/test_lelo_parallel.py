"""Public tests for lelo_parallel: run them with `make check`.

lelo's `parallel` only works when new processes are started with `fork` (see README.md), so every
test here switches multiprocessing to `fork` for its duration, then puts the previous start method
back and waits for (reaps) every process the test started: lelo itself never does.

Instead of the real `checksum`, most tests give `checksums` a `digest` double: one that reports the
pid of the process it ran in, and one that waits until every call of the batch is running.
"""

import multiprocessing
import os
import threading
import zlib

import pytest

pytestmark = pytest.mark.exercise("lelo_parallel")

GATE_WAIT = 5.0  # seconds a gated call waits for the others before giving up (forks take ms)
REAP_WAIT = 10.0  # seconds to wait for a child process to exit at the end of a test
BLOCKS = [bytes(range(256)) * 8, b"lelo" * 300, b"\x00\xff" * 500, b"a"]


@pytest.fixture(autouse=True)
def fork_and_reap():
    """Start processes with `fork` during the test; afterwards restore the start method, reap children."""
    previous = multiprocessing.get_start_method(allow_none=True)
    multiprocessing.set_start_method("fork", force=True)
    assert multiprocessing.get_start_method() == "fork"
    before = set(multiprocessing.active_children())
    try:
        yield
    finally:
        multiprocessing.set_start_method(previous, force=True)
        for child in set(multiprocessing.active_children()) - before:
            child.join(REAP_WAIT)
            if child.is_alive():
                child.kill()
                child.join()


@pytest.mark.points(1)
def test_checksums_of_every_block_in_order_as_plain_ints(student):
    result = student.checksums(BLOCKS)
    expected = [zlib.adler32(block) for block in BLOCKS]
    assert isinstance(result, list), f"checksums should return a list, not a {type(result).__name__}"
    assert len(result) == len(BLOCKS), f"4 blocks, but checksums returned {len(result)} results"
    kinds = [type(value).__name__ for value in result]
    assert kinds == ["int"] * len(BLOCKS), (
        f"checksums returned values of types {kinds}: they print like ints, but lelo's proxies are "
        f"not ints (bool() and pickling them fail). Convert every result with int() before returning"
    )
    assert result == expected, f"checksums returned {result}, expected {expected} (in block order)"


@pytest.mark.points(1)
def test_each_block_is_checked_in_another_process(student):
    def where_am_i(block):
        """A digest double: returns the pid of the process it runs in."""
        return os.getpid()

    pids = [int(pid) for pid in student.checksums(BLOCKS, where_am_i)]
    here = os.getpid()
    assert len(pids) == len(BLOCKS), f"4 blocks, but checksums returned {len(pids)} results"
    assert here not in pids, (
        f"digest ran in the test's own process for {pids.count(here)} of the 4 blocks: a pure-Python "
        f"computation in this process (or in a thread) holds the GIL and uses one core. Run each call "
        f"in a new process with lelo's `parallel`"
    )


@pytest.mark.points(2)
def test_all_calls_are_running_at_the_same_time(student):
    gate = multiprocessing.Barrier(len(BLOCKS), timeout=GATE_WAIT)
    here = os.getpid()

    def gated(block):
        """A digest double: waits until all 4 calls are running, then returns the checksum, else -1."""
        if os.getpid() == here:
            gate.abort()  # in the test's own process the others can never join it: give up at once
            return -1
        try:
            gate.wait()
        except threading.BrokenBarrierError:
            return -1
        return zlib.adler32(block)

    result = [int(value) for value in student.checksums(BLOCKS, gated)]
    assert -1 not in result, (
        f"checksums returned {result}: each call waited (up to {GATE_WAIT:.0f} s) for all 4 calls to "
        f"be running at once, in processes of their own, and they never were. A lelo call returns a "
        f"proxy at once, but the first use of that proxy (int(), +, ==, print...) waits until its "
        f"process has finished: start every call first, and only then use the results"
    )
    assert result == [zlib.adler32(block) for block in BLOCKS], f"wrong checksums: {result}"
