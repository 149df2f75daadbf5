"""A module-level helper decorated with @parallel runs digest(block); all proxies first, then int().

Decorating a module-level name needs the fork start method (under spawn the helper cannot be
pickled), which is what the exercise targets; checksum itself stays a plain function.
"""

from lelo import parallel

MOD_ADLER = 65521


def checksum(data: bytes) -> int:
    """Adler-32 of ``data`` in pure Python (CPU-bound); the same value as ``zlib.adler32``."""
    a, b = 1, 0
    for byte in data:
        a = (a + byte) % MOD_ADLER
        b = (b + a) % MOD_ADLER
    return (b << 16) | a


@parallel
def _digest_in_a_process(digest, block):
    """Runs in a new process; returns a lazy proxy to the caller."""
    return digest(block)


def checksums(blocks: list[bytes], digest=checksum) -> list[int]:
    """digest(block) for every block, each in a process of its own; plain ints, in block order."""
    pending = [_digest_in_a_process(digest, block) for block in blocks]
    return [int(result) for result in pending]
