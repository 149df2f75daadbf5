"""Hidden grader for gil_threads.

Plain sync tests: there is no event loop here, only threads and processes, and nothing is timed.

``download_all`` is graded with ``Downloads``, a blocking double written here (it waits on
``threading`` primitives, never on a clock): a ``Barrier`` proves that ``workers`` downloads were
in flight at once; after the meeting the first downloads stay in flight for a moment (``HOLD``),
so a pool with more threads than ``workers`` shows its extra download (a correct pool cannot start
one, so it passes however long or short the moment is); events release the downloads in reverse
order, the first url's last of all and only after a moment (``HOLD`` again, so that the caller has
begun to collect results): "results in the order of the urls" is checked against downloads that
really finished out of order, and results gathered "as completed" always put the first url last.
Elsewhere results are compared in any order: the order has its own tests, where it is forced.
Nothing is timed: ``HOLD`` only gives a wrong solution the chance to show itself. The double is an
object holding locks, so it cannot be pickled: downloads belong in threads of this process.

The order of digests is forced the same way across processes, without a pause: the worker for the
first blob waits until the second blob's result has *arrived in this process*; a caller that
collects "as completed" could only return the right order if it stalled between its last submit
and its first wait for as long as two worker processes take to start and compute.

``hash_all`` is graded with ``PidDigest`` from ``_gil_threads_doubles`` (a module beside this one,
imported by name in the worker processes): each result carries the pid of the process that made
it, a meeting of ``parties`` different processes proves they computed at the same time, and
``after`` makes one result arrive before another. See that module.

"Shut the pool down" is checked on what it leaves behind: the threads that ran downloads have ended
and no worker process is alive after the call. The ``pools`` fixture keeps a reference to every
``concurrent.futures`` executor made during the test, so that a pool the student forgot to shut
down is not quietly collected (and its workers stopped) by CPython's reference counting, a detail
no program should count on; the fixture shuts them all down when the test ends.
"""

import multiprocessing
import os
import pickle
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest
from _gil_threads_doubles import PidDigest, sha

from grader.testing import ConcurrencyProbe

pytestmark = pytest.mark.exercise("gil_threads")

WAIT = 5.0  # seconds a download waits for the others before giving up (threads start in microseconds)
HOLD = 0.5  # seconds the first downloads stay in flight after meeting, for an extra one to show
GRACE = 5.0  # seconds a shut-down pool may take to let its threads or processes end


def body(url: str) -> str:
    return f"<html>{url}</html>"


def make_urls(n: int) -> list[str]:
    return [f"https://example.com/page/{i}" for i in range(n)]


class Downloads:
    """The ``download(url)`` double: blocks on threading primitives and records what it saw.

    ``meet``: the first ``meet`` calls wait (``Barrier``) until ``meet`` calls are in flight at
    once, then stay in flight for ``HOLD`` unless a call beyond ``meet`` starts meanwhile.
    ``reverse``: the calls finish in the reverse order of ``urls`` (each waits for the next url's
    call to finish). ``fail``: ``{url: exception}`` to raise. Every wait gives up after ``WAIT``,
    and then no other call waits: a wrong solution ends with a verdict instead of hanging.
    """

    def __init__(self, meet=0, reverse=(), fail=None) -> None:
        self.probe = ConcurrencyProbe()
        self.threads: set[threading.Thread] = set()
        self.calls: list[str] = []
        self.meet = meet
        self.barrier = threading.Barrier(meet) if meet else None
        self.overflow = threading.Event()  # a call started beyond `meet` in flight
        self.missed_meeting = False
        self.reverse = list(reverse)
        self.turn = {url: threading.Event() for url in self.reverse}
        if self.reverse:
            self.turn[self.reverse[-1]].set()
        self.gave_up = threading.Event()
        self._linger = threading.Event()  # never set: a wait on it is a pause of at most HOLD
        self.fail = dict(fail or {})
        self._lock = threading.Lock()

    def __call__(self, url: str) -> str:
        with self.probe:
            with self._lock:
                self.threads.add(threading.current_thread())
                self.calls.append(url)
                arrival = len(self.calls)
                if self.meet and self.probe.in_flight > self.meet:
                    self.overflow.set()
            if self.barrier is not None and arrival <= self.meet:
                self._meet()
            if url in self.turn:
                self._take_turn(url)
            if url in self.fail:
                raise self.fail[url]
            return body(url)

    def _take_turn(self, url: str) -> None:
        """Wait for the next url's call to finish; the first url's call then lingers (HOLD)."""
        if not self.gave_up.is_set() and not self.turn[url].wait(WAIT):
            self.gave_up.set()
            for event in self.turn.values():
                event.set()
        position = self.reverse.index(url)
        if position > 0:
            self.turn[self.reverse[position - 1]].set()
        elif not self.gave_up.is_set():
            # The first url finishes last, and not before the caller has surely begun to collect
            # results: results collected "as they complete" then always put it last. A correct
            # solution passes however long or short this is; it only gives a wrong one its chance
            # to show (the caller would have to stall for HOLD between its last submit and its
            # first wait to hide the mistake).
            self._linger.wait(HOLD)

    def _meet(self) -> None:
        try:
            self.barrier.wait(WAIT)
        except threading.BrokenBarrierError:
            self.missed_meeting = True
            return
        self.overflow.wait(HOLD)


@pytest.fixture
def pools(monkeypatch):
    """Every concurrent.futures executor made during the test, kept alive until it ends."""
    made = []
    for cls in (ThreadPoolExecutor, ProcessPoolExecutor):

        def spy(self, *args, _init=cls.__init__, **kwargs):
            _init(self, *args, **kwargs)
            made.append(self)  # only a pool that was made (bad arguments raise above)

        monkeypatch.setattr(cls, "__init__", spy)
    yield made
    for pool in made:
        pool.shutdown(wait=True, cancel_futures=True)


def pickling_problem(exc: BaseException) -> bool:
    return isinstance(exc, pickle.PicklingError) or "pickl" in str(exc).lower()


def call(student, name: str, args: tuple, kwargs: dict):
    """Call the student's function; a pickling error becomes a teaching message."""
    try:
        return getattr(student, name)(*args, **kwargs)
    except Exception as exc:
        if not pickling_problem(exc):
            raise
        if name == "download_all":
            pytest.fail(
                f"download_all failed with {type(exc).__name__}: {exc}. It tried to send "
                f"`download` to another process; downloads are I/O-bound, so run them in threads of "
                f"this process (a ThreadPoolExecutor): `download` may be a closure or hold locks, "
                f"which cannot be pickled",
                pytrace=False,
            )
        pytest.fail(
            f"hash_all failed with {type(exc).__name__}: {exc}. Everything sent to a worker "
            f"process is pickled, and a lambda or a function defined inside another function "
            f"cannot be: give the pool `digest` itself (pool.map(digest, blobs))",
            pytrace=False,
        )


def threads_left_running(threads) -> list[threading.Thread]:
    """The threads among ``threads`` still alive after a short grace (the caller's excluded)."""
    deadline = time.monotonic() + GRACE
    others = [t for t in threads if t is not threading.current_thread()]
    for t in others:
        t.join(max(0.0, deadline - time.monotonic()))
    return [t for t in others if t.is_alive()]


def processes_left_running(before) -> list[multiprocessing.process.BaseProcess]:
    """Child processes started since ``before`` and still alive after a short grace."""
    deadline = time.monotonic() + GRACE
    while True:
        left = [p for p in multiprocessing.active_children() if p.pid not in before]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.01)


def child_pids() -> set[int]:
    return {p.pid for p in multiprocessing.active_children()}


def same_items(got, expected) -> bool:
    """The same results, in any order (the order has tests of its own, where it is forced)."""
    try:
        return sorted(got) == sorted(expected)
    except TypeError:
        return False


def pids_of(results) -> list:
    return [getattr(r, "pid", None) for r in results]


def hexes_of(results) -> list:
    return [getattr(r, "hex", r) for r in results]


# -- download_all: threads for I/O ----------------------------------------------------------------


@pytest.mark.points(1)
def test_download_all_runs_exactly_workers_downloads_at_once(student, pools):
    for workers, n in ((3, 9), (None, 12)):
        parties = workers or 8
        urls = make_urls(n)
        download = Downloads(meet=parties)
        kwargs = {} if workers is None else {"workers": workers}
        called = f"download_all({n} urls{'' if workers is None else f', workers={workers}'})"
        bodies = call(student, "download_all", (urls, download), kwargs)
        default = " (the default when `workers` is not given is 8)" if workers is None else ""
        assert not download.missed_meeting, (
            f"{called} never had {parties} downloads in flight at once{default}: at most "
            f"{download.probe.peak} ran at the same time. A blocking download releases the GIL "
            f"while it waits, so {parties} threads can wait at once: hand all the urls to a "
            f"ThreadPoolExecutor(max_workers=workers) before waiting for any result"
        )
        assert download.probe.peak <= parties, (
            f"{called} had {download.probe.peak} downloads in flight at once; `workers` is the "
            f"limit{default}: create the pool with max_workers=workers"
        )
        assert same_items(bodies, [body(u) for u in urls]), (
            f"{called} returned {bodies!r}; expected the body of every url"
        )


@pytest.mark.points(1)
def test_download_all_keeps_url_order_when_downloads_finish_out_of_order(student, pools):
    urls = make_urls(4)
    download = Downloads(reverse=urls)
    bodies = call(student, "download_all", (urls, download), {"workers": 4})
    assert bodies == [body(u) for u in urls], (
        f"the 4 downloads finished last-first, and download_all(4 urls, workers=4) returned "
        f"{bodies!r}: return the bodies in the order of `urls`, not in the order the downloads "
        f"finished (pool.map keeps the order; so does keeping the futures in a list)"
    )


@pytest.mark.points(1)
def test_failed_download_propagates_after_the_pool_is_shut_down(student, pools):
    urls = make_urls(5)
    error = ConnectionRefusedError(f"{urls[2]} refused the connection")
    download = Downloads(fail={urls[2]: error})
    try:
        result = call(student, "download_all", (urls, download), {"workers": 3})
    except ConnectionRefusedError as exc:
        raised = exc
    else:
        pytest.fail(
            f"download({urls[2]!r}) raised ConnectionRefusedError, and download_all returned "
            f"{result!r}: let the exception propagate to the caller (future.result() and "
            f"pool.map re-raise it; do not catch it)"
        )
    assert raised is error, (
        f"download({urls[2]!r}) raised a ConnectionRefusedError, and download_all raised another "
        f"one ({raised!r}): let the very exception propagate"
    )
    left = threads_left_running(download.threads)
    assert not left, (
        f"download_all raised, but {len(left)} of the pool's thread(s) were still running after "
        f"it: shut the pool down on every way out, errors included (`with "
        f"ThreadPoolExecutor(...) as pool:` does it)"
    )


@pytest.mark.points(1)
def test_download_all_leaves_no_thread_running(student, pools):
    urls = make_urls(6)
    download = Downloads()
    bodies = call(student, "download_all", (urls, download), {"workers": 3})
    assert same_items(bodies, [body(u) for u in urls]), (
        f"download_all(6 urls, workers=3) returned {bodies!r}; expected the body of every url"
    )
    left = threads_left_running(download.threads)
    assert not left, (
        f"download_all returned, but {len(left)} of the thread(s) that ran downloads were still "
        f"running ({', '.join(t.name for t in left)}): shut the pool down before returning "
        f"(`with ThreadPoolExecutor(...) as pool:` waits for its threads); do not count on the "
        f"garbage collector to stop them"
    )


# -- hash_all: processes for CPU ------------------------------------------------------------------


@pytest.mark.points(1)
def test_hash_all_uses_exactly_workers_processes_at_once(student, pools, tmp_path):
    blobs = [f"blob {i}".encode() * 1000 for i in range(6)]
    before = child_pids()
    digest = PidDigest(tmp_path, os.getpid(), parties=3)
    results = call(student, "hash_all", (blobs, digest), {"workers": 3})
    in_grader = [i for i, pid in enumerate(pids_of(results)) if pid == os.getpid()]
    assert not in_grader, (
        f"hash_all(6 blobs, workers=3) computed {len(in_grader)} digest(s) in the caller's own "
        f"process. Threads share one interpreter, and pure-Python CPU work holds the GIL: they "
        f"take turns instead of running side by side. Use a ProcessPoolExecutor"
    )
    assert same_items(hexes_of(results), [sha(b) for b in blobs]), (
        f"hash_all(6 blobs, workers=3) returned {results!r}; expected digest(blob) for every blob"
    )
    pids = set(pids_of(results))
    assert all(r.met for r in results), (
        f"hash_all(6 blobs, workers=3) never had 3 worker processes computing at once (the "
        f"digests ran in {len(pids)} process(es)): create the pool with max_workers=workers and "
        f"hand it all the blobs before waiting for any result"
    )
    assert len(pids) <= 3, (
        f"hash_all(6 blobs, workers=3) used {len(pids)} worker processes; `workers` is the "
        f"limit: one pool with max_workers=workers, reused for every blob"
    )
    left = processes_left_running(before)
    assert not left, (
        f"hash_all returned, but {len(left)} worker process(es) were still running: shut the "
        f"pool down before returning (`with ProcessPoolExecutor(...) as pool:` does it)"
    )


@pytest.mark.points(1)
def test_hash_all_keeps_blob_order_when_digests_finish_out_of_order(student, pools, tmp_path):
    blobs = [b"first" * 1000, b"second" * 1000]
    digest = PidDigest(tmp_path, os.getpid(), parties=2, after={blobs[0]: blobs[1]})
    results = call(student, "hash_all", (blobs, digest), {})
    assert os.getpid() not in pids_of(results), (
        "hash_all(2 blobs) computed digests in the caller's own process: use a "
        "ProcessPoolExecutor, so that the CPU work runs in other processes, each with its own GIL"
    )
    assert all(r.met for r in results), (
        "hash_all(2 blobs) did not compute the 2 digests at once in 2 worker processes (the "
        "default is workers=2): hand the pool all the blobs before waiting for any result"
    )
    expected = [sha(b) for b in blobs]
    assert hexes_of(results) == expected, (
        f"the digest of the second blob finished first, and hash_all returned the digests in "
        f"the order {'second, first' if hexes_of(results) == expected[::-1] else repr(results)}: "
        f"return them in the order of `blobs`, not in the order they finished"
    )


@pytest.mark.points(1)
def test_failed_digest_propagates_from_the_worker_process(student, pools, tmp_path):
    blobs = [b"fine" * 1000, b"corrupt" * 1000, b"fine too" * 1000]
    before = child_pids()
    digest = PidDigest(tmp_path, os.getpid(), fail={blobs[1]: "blob 1 is corrupt"})
    try:
        result = call(student, "hash_all", (blobs, digest), {"workers": 2})
    except ValueError as exc:
        raised = exc
    else:
        pytest.fail(
            f"digest(blobs[1]) raised ValueError('blob 1 is corrupt'), and hash_all returned "
            f"{result!r}: let the exception propagate (the pool re-raises it in the caller)"
        )
    assert str(raised) == "blob 1 is corrupt", (
        f"digest(blobs[1]) raised ValueError('blob 1 is corrupt'), and hash_all raised "
        f"{raised!r}: let that exception propagate unchanged"
    )
    left = processes_left_running(before)
    assert not left, (
        f"hash_all raised, but {len(left)} worker process(es) were still running after it: shut "
        f"the pool down on every way out, errors included (`with ProcessPoolExecutor(...)`)"
    )
