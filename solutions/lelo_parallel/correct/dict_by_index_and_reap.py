"""Keeps the proxies in a dict by block index, reads them with operator.index, then reaps its processes.

lelo never joins the processes it starts: they stay zombies until multiprocessing reaps them. This
variant notes the children that existed before, and joins the ones it started once every result is
in (each has delivered its value, so each is about to exit).
"""

import multiprocessing
import operator

from lelo import parallel

MOD_ADLER = 65521


def checksum(data: bytes) -> int:
    """Adler-32 of ``data`` in pure Python (CPU-bound); the same value as ``zlib.adler32``."""
    a, b = 1, 0
    for byte in data:
        a = (a + byte) % MOD_ADLER
        b = (b + a) % MOD_ADLER
    return (b << 16) | a


def checksums(blocks: list[bytes], digest=checksum) -> list[int]:
    """digest(block) for every block, each in a process of its own; plain ints, in block order."""
    already_running = set(multiprocessing.active_children())
    job = parallel(digest)
    proxies = {}
    for index, block in enumerate(blocks):
        proxies[index] = job(block)
    values = [operator.index(proxies[index]) for index in range(len(blocks))]
    for child in set(multiprocessing.active_children()) - already_running:
        child.join()
    return values
