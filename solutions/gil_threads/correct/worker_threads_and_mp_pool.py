"""Hand-made worker threads pulling from a queue for I/O; a multiprocessing.Pool for the CPU work.

download_all: min(workers, len(urls)) threads take (index, url) pairs from a queue and store each
body at its index; the first exception is kept and re-raised after every thread has been joined.
hash_all: multiprocessing's own Pool (spawn context); `with` terminates it after map() has
returned every result, and terminate() joins the worker processes.
"""

import multiprocessing
import queue
import threading


def download_all(urls, download, *, workers=8) -> list:
    """Download every url in up to ``workers`` threads; bodies in the order of ``urls``."""
    urls = list(urls)
    bodies = [None] * len(urls)
    errors = []
    jobs = queue.SimpleQueue()
    for job in enumerate(urls):
        jobs.put(job)

    def worker():
        while not errors:
            try:
                i, url = jobs.get_nowait()
            except queue.Empty:
                return
            try:
                bodies[i] = download(url)
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(min(workers, len(urls)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return bodies


def hash_all(blobs, digest, *, workers=2) -> list:
    """Digest every blob in up to ``workers`` processes; results in the order of ``blobs``."""
    with multiprocessing.get_context("spawn").Pool(processes=workers) as pool:
        return pool.map(digest, blobs, chunksize=1)
