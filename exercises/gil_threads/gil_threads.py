"""Exercise gil_threads: threads for I/O, processes for CPU.

Goal: make `download_all` run up to `workers` blocking downloads at once in a pool of threads,
and `hash_all` compute up to `workers` CPU-bound digests at once in a pool of worker processes.
Both return their results in the order of their input, let an exception from the work propagate,
and shut their pool down (no thread or process left running) before they return or raise.

Read README.md for the full contract, then run `make check`.
"""


def download_all(urls, download, *, workers=8) -> list:
    """Call ``download(url)`` for every url, up to ``workers`` at once; return the bodies in order."""
    # TODO: each download spends its time waiting for the network, one after another here. Run
    # them in a pool of `workers` threads (a waiting thread releases the GIL), keep the bodies in
    # the order of `urls`, and shut the pool down before returning.
    return [download(url) for url in urls]


def hash_all(blobs, digest, *, workers=2) -> list:
    """Compute ``digest(blob)`` for every blob, up to ``workers`` at once; return them in order."""
    # TODO: this is CPU-bound work, and threads would not help: only one thread at a time runs
    # Python code (the GIL). Run the digests in a pool of `workers` processes instead, keep the
    # order of `blobs`, and shut the pool down before returning.
    return [digest(blob) for blob in blobs]
