"""Public tests for gil_threads: run them with `make check`.

Nothing here is timed. `download_all` gets a fake `download` that returns at once, then one that
waits (on a `threading.Barrier`, not a clock) until 4 downloads are in flight together: only
downloads that really overlap get past it. `hash_all` gets a `digest` that reports the id of the
process it ran in. The hidden tests go further: exactly `workers` at once, results in order when
the work finishes out of order, errors, and no thread or process left running afterwards.
"""

import os
import threading
import zlib

import pytest

pytestmark = pytest.mark.exercise("gil_threads")


def fake_download(url):
    return f"<html>{url}</html>"


def crc_and_pid(blob):
    """A digest that says which process computed it. Module-level, so it pickles by name."""
    return zlib.crc32(blob), os.getpid()


def not_picklable(exc, function):
    """Fail with an explanation if ``exc`` says something could not be sent to a process."""
    if "pickl" not in f"{type(exc).__name__} {exc}".lower():
        raise exc
    where = (
        "download_all sent `download` to another process: downloads wait, they do not compute, "
        "so run them in threads of this process (`download` need not pickle)"
        if function == "download_all"
        else "a worker process can only receive what pickles: pass `digest` itself (a "
        "module-level function) to the pool, not a lambda or a function defined inside hash_all"
    )
    pytest.fail(f"{function} raised {type(exc).__name__}: {exc}. {where}", pytrace=False)


@pytest.mark.points(1)
def test_download_all_returns_the_body_of_every_url(student):
    urls = [f"https://example.com/{i}" for i in range(5)]
    bodies = student.download_all(urls, fake_download, workers=2)
    # In any order here: the hidden tests make downloads finish out of order and check it.
    assert sorted(bodies) == sorted(fake_download(u) for u in urls), (
        f"download_all returned {bodies!r}; expected download(url) for every url"
    )


@pytest.mark.points(1)
def test_download_all_runs_downloads_at_the_same_time(student):
    everyone_in = threading.Barrier(4)  # opens only when 4 downloads wait at it together
    missed = []

    def waiting_download(url):
        try:
            everyone_in.wait(timeout=5)
        except threading.BrokenBarrierError:
            missed.append(url)
        return f"<html>{url}</html>"

    urls = [f"https://example.com/{i}" for i in range(4)]
    try:
        bodies = student.download_all(urls, waiting_download, workers=4)
    except Exception as exc:
        not_picklable(exc, "download_all")
    assert not missed, (
        "download_all(4 urls, workers=4) never had its 4 downloads in flight at the same time: "
        "each download waits for the network (here, for the others), and a thread that waits "
        "releases the GIL, so run the downloads in a ThreadPoolExecutor(max_workers=workers)"
    )
    assert sorted(bodies) == [f"<html>{u}</html>" for u in urls]


@pytest.mark.points(1)
def test_hash_all_computes_digests_in_worker_processes(student):
    blobs = [b"spam" * 100, b"eggs" * 100, b"ham" * 100]
    try:
        results = student.hash_all(blobs, crc_and_pid, workers=2)
    except Exception as exc:
        not_picklable(exc, "hash_all")
    assert sorted(r[0] for r in results) == sorted(zlib.crc32(b) for b in blobs), (
        f"hash_all returned {results!r}; expected digest(blob) for every blob"
    )
    pids = {pid for _, pid in results}
    assert os.getpid() not in pids, (
        "hash_all computed digests in the caller's own process. Pure-Python CPU work holds the "
        "GIL, so threads would only take turns: use a ProcessPoolExecutor(max_workers=workers)"
    )
