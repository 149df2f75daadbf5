"""Lazy parallel calls with lelo: the reference solution of lelo_parallel.

``checksums`` starts one lelo call per block (each runs ``digest`` in a new process and returns a
lazy proxy at once), and only when every call has been started turns the proxies into plain ints,
in the order of the blocks.
"""

from lelo import parallel

MOD_ADLER = 65521


def checksum(data: bytes) -> int:
    """Adler-32 of ``data``, computed in pure Python on purpose: slow, CPU-bound work.

    Gives the same value as ``zlib.adler32(data)``. Do not change it, and do not decorate it.
    """
    a, b = 1, 0
    for byte in data:
        a = (a + byte) % MOD_ADLER
        b = (b + a) % MOD_ADLER
    return (b << 16) | a


def checksums(blocks: list[bytes], digest=checksum) -> list[int]:
    """``digest(block)`` for every block, each in a process of its own; plain ints, in block order."""
    # Wrap at the call site rather than decorating `checksum`: `checksum` stays a plain function
    # for every other caller, and the wrapper pickles `digest` by its own name, which also works
    # under the `spawn` start method (a decorated module-level name does not).
    in_a_process = parallel(digest)
    # Step 1: start everything. Each call forks a process and returns a proxy at once; nothing
    # here touches a proxy, so no call waits for another.
    pending = [in_a_process(block) for block in blocks]
    # Step 2: collect. int() is the first use of each proxy: it blocks until that process has put
    # its result in the proxy's queue. The others are running meanwhile, so the total wait is
    # about the longest call, not the sum. int() also hands back a real int, not a proxy that
    # only looks like one (its type is lelo's, and bool() or pickling it fails).
    return [int(result) for result in pending]
