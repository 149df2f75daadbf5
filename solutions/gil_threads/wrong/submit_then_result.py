"""Submits each job and waits for its result before submitting the next: one at a time, in a pool.

Caught by: test_download_all_runs_downloads_at_the_same_time, test_download_all_runs_exactly_workers_downloads_at_once, test_hash_all_uses_exactly_workers_processes_at_once, test_hash_all_keeps_blob_order_when_digests_finish_out_of_order
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def download_all(urls, download, *, workers=8) -> list:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [pool.submit(download, url).result() for url in urls]  # waits before the next submit


def hash_all(blobs, digest, *, workers=2) -> list:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        bodies = []
        for blob in blobs:
            future = pool.submit(digest, blob)
            bodies.append(future.result())  # the pool never has a second job to run
        return bodies
