"""Threads for I/O, processes for CPU: the reference solution of gil_threads.

``download_all`` overlaps blocking downloads in a pool of threads: a thread that waits for the
network has released the GIL, so the other threads run meanwhile. ``hash_all`` spreads CPU-bound
digests over a pool of worker processes: each process has its own interpreter and its own GIL, so
they really compute at the same time. Both return results in the order of their input and shut
their pool down, its threads or processes finished, before they return or raise.
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def download_all(urls, download, *, workers=8) -> list:
    """Call ``download(url)`` for every url, up to ``workers`` at once in threads; bodies in order.

    An exception raised by ``download`` propagates (after the pool has shut down).
    """
    # Threads, not processes: `download` may be a closure or share state with its caller (a session,
    # a counter), which only threads of this process can do, and a blocking wait costs a thread
    # almost nothing. `with` shuts the pool down on every way out and waits for its threads.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # map() yields results in the order of `urls`, however the downloads finish, and re-raises
        # a download's exception when we reach it.
        return list(pool.map(download, urls))


def hash_all(blobs, digest, *, workers=2) -> list:
    """Compute ``digest(blob)`` for every blob in up to ``workers`` processes; results in order.

    ``digest`` must be picklable (a module-level function): it is sent to the worker processes by
    name. An exception raised by ``digest`` propagates (after the pool has shut down).
    """
    # Processes, not threads: pure-Python CPU work holds the GIL, so threads would take turns
    # (every 5 ms, sys.getswitchinterval()) instead of running side by side. Each blob and each
    # result is pickled across a pipe, and each worker takes time to start: worth it only for
    # work that is heavy compared with its data.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # Pass `digest` itself, not a lambda or a nested function: those cannot be pickled.
        return list(pool.map(digest, blobs))
