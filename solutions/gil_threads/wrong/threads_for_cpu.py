"""Uses a ThreadPoolExecutor for the CPU-bound digests too: they run in the caller's process.

Caught by: test_hash_all_computes_digests_in_worker_processes, test_hash_all_uses_exactly_workers_processes_at_once, test_hash_all_keeps_blob_order_when_digests_finish_out_of_order
"""

from concurrent.futures import ThreadPoolExecutor


def download_all(urls, download, *, workers=8) -> list:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(download, urls))


def hash_all(blobs, digest, *, workers=2) -> list:
    # "Threads made the downloads faster, so...": but pure-Python CPU work holds the GIL, and the
    # threads only take turns.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(digest, blobs))
