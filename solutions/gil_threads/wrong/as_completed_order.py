"""Collects the results with as_completed: in the order the work finished, not the input order.

Caught by: test_download_all_keeps_url_order_when_downloads_finish_out_of_order, test_hash_all_keeps_blob_order_when_digests_finish_out_of_order
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed


def download_all(urls, download, *, workers=8) -> list:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(download, url) for url in urls]
        return [f.result() for f in as_completed(futures)]


def hash_all(blobs, digest, *, workers=2) -> list:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(digest, blob) for blob in blobs]
        return [f.result() for f in as_completed(futures)]
