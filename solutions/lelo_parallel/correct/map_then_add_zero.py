"""Starts the calls with list(map(parallel(digest), blocks)), then converts each proxy with + 0.

list() consumes the map at once, so every call is started before any proxy is touched; p + 0 goes
through the proxy's __add__ to the real int and returns a real int.
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


def checksums(blocks: list[bytes], digest=checksum) -> list[int]:
    """digest(block) for every block, each in a process of its own; plain ints, in block order."""
    proxies = list(map(parallel(digest), blocks))
    return [proxy + 0 for proxy in proxies]
