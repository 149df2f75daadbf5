"""Ignores `workers` and lets the executors pick their default size.

Caught by: test_download_all_runs_exactly_workers_downloads_at_once
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def download_all(urls, download, *, workers=8) -> list:
    with ThreadPoolExecutor() as pool:  # min(32, os.cpu_count() + 4) threads, whatever `workers` says
        return list(pool.map(download, urls))


def hash_all(blobs, digest, *, workers=2) -> list:
    with ProcessPoolExecutor() as pool:  # os.cpu_count() processes
        return list(pool.map(digest, blobs))
