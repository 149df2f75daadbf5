"""Sends a lambda to the process pool: it cannot be pickled, so no digest is ever computed.

Caught by: test_hash_all_computes_digests_in_worker_processes, test_hash_all_uses_exactly_workers_processes_at_once, test_hash_all_keeps_blob_order_when_digests_finish_out_of_order, test_failed_digest_propagates_from_the_worker_process
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def download_all(urls, download, *, workers=8) -> list:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(download, urls))


def hash_all(blobs, digest, *, workers=2) -> list:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda blob: digest(blob), blobs))
