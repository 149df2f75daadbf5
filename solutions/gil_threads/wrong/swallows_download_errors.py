"""Turns a failed download into None instead of letting the exception propagate.

Caught by: test_failed_download_propagates_after_the_pool_is_shut_down
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def _download_or_none(download, url):
    try:
        return download(url)
    except Exception:
        return None  # the caller cannot tell a failed download from an empty one


def download_all(urls, download, *, workers=8) -> list:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_download_or_none, [download] * len(urls), urls))


def hash_all(blobs, digest, *, workers=2) -> list:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(digest, blobs))
