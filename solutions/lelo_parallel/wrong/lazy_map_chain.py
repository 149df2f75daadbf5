"""Chains lazy maps, map(int, map(job, blocks)): each call starts only when the previous is converted.

Caught by: test_all_calls_are_running_at_the_same_time, test_every_call_is_started_before_any_result_is_used, test_each_call_runs_in_a_process_of_its_own
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
    # Looks like "all at once", but map is lazy: list() pulls one item through both maps at a
    # time, so call k+1 is started only after int() has waited for call k.
    return list(map(int, map(parallel(digest), blocks)))
