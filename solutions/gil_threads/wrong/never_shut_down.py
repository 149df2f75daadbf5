"""Never shuts its pools down (no `with`, no shutdown()): threads and processes outlive the call.

Caught by: test_failed_download_propagates_after_the_pool_is_shut_down, test_download_all_leaves_no_thread_running, test_hash_all_uses_exactly_workers_processes_at_once, test_failed_digest_propagates_from_the_worker_process
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def download_all(urls, download, *, workers=8) -> list:
    pool = ThreadPoolExecutor(max_workers=workers)
    return list(pool.map(download, urls))  # the pool's threads are left waiting for more work


def hash_all(blobs, digest, *, workers=2) -> list:
    pool = ProcessPoolExecutor(max_workers=workers)
    return list(pool.map(digest, blobs))  # and its worker processes too
