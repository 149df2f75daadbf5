"""Exercise lelo_parallel: lazy parallel calls with lelo.

Goal: make `checksums` compute the checksum of every block in a process of its own, all of them
at the same time, with lelo's `parallel`, and return plain ints in the order of `blocks`.
Leave `checksum` as it is: a plain function that returns an int.

Read README.md for the full contract, then run `make check`.
"""

from lelo import parallel  # noqa: F401  (you will need it)

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
    # TODO: this checks one block after the other, in this process: a batch of eight blocks takes
    # eight times as long as one, however many cores the machine has. Run every call of `digest`
    # in a process of its own with lelo's `parallel`. A call returns at once a lazy proxy; using a
    # proxy (int(), +, ==, print...) waits for its process. So start ALL the calls first, and
    # only then turn each proxy into a plain int.
    return [digest(block) for block in blocks]
