"""Shuts the executors down by hand in `finally`, starts processes with an explicit spawn context.

download_all: a ThreadPoolExecutor closed in try/finally (shutdown waits for its threads).
hash_all: ProcessPoolExecutor(mp_context=spawn), the portable start method, with map() in chunks
of a few blobs to save round trips on long batches (at least one per worker, so that every worker
gets work).
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def download_all(urls, download, *, workers=8) -> list:
    """Download every url in up to ``workers`` threads; bodies in the order of ``urls``."""
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="download")
    try:
        return list(pool.map(download, urls))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # on errors too: no thread left behind


def hash_all(blobs, digest, *, workers=2) -> list:
    """Digest every blob in up to ``workers`` processes; results in the order of ``blobs``."""
    blobs = list(blobs)
    chunk = max(1, len(blobs) // (workers * 4))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        return list(pool.map(digest, blobs, chunksize=chunk))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
