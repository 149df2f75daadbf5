"""Uses a ProcessPoolExecutor for the downloads too: `download` must then pickle, and may not.

Caught by: test_download_all_runs_downloads_at_the_same_time, test_download_all_runs_exactly_workers_downloads_at_once, test_download_all_keeps_url_order_when_downloads_finish_out_of_order, test_failed_download_propagates_after_the_pool_is_shut_down, test_download_all_leaves_no_thread_running
"""

from concurrent.futures import ProcessPoolExecutor


def download_all(urls, download, *, workers=8) -> list:
    # A closure, a bound method or anything holding a lock or a socket cannot be sent to another
    # process; and waiting for the network needs no process of its own.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(download, urls))


def hash_all(blobs, digest, *, workers=2) -> list:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(digest, blobs))
