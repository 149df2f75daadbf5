"""Submits every job first, then collects the futures' results in the order they were submitted.

Both pools are used in `with` blocks; the list of futures keeps the input order, and
`future.result()` re-raises the job's exception.
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def download_all(urls, download, *, workers=8) -> list:
    """Download every url in up to ``workers`` threads; bodies in the order of ``urls``."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(download, url) for url in urls]  # all queued before any wait
        return [future.result() for future in futures]


def hash_all(blobs, digest, *, workers=2) -> list:
    """Digest every blob in up to ``workers`` processes; results in the order of ``blobs``."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(digest, blob) for blob in blobs]
        return [future.result() for future in futures]
