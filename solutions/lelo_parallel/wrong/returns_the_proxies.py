"""Starts every call, then returns the proxies themselves: they print like ints but are not ints.

Caught by: test_checksums_of_every_block_in_order_as_plain_ints, test_results_are_plain_ints_in_block_order
"""

from lelo import parallel

MOD_ADLER = 65521


def checksum(data: bytes) -> int:
    a, b = 1, 0
    for byte in data:
        a = (a + byte) % MOD_ADLER
        b = (b + a) % MOD_ADLER
    return (b << 16) | a


def checksums(blocks: list[bytes], digest=checksum) -> list[int]:
    in_a_process = parallel(digest)
    return [in_a_process(block) for block in blocks]
