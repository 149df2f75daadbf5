"""Runs the calls in a ThreadPoolExecutor: all at once, but in this process, where the GIL serialises them.

Caught by: test_each_block_is_checked_in_another_process, test_all_calls_are_running_at_the_same_time, test_every_call_is_started_before_any_result_is_used, test_each_call_runs_in_a_process_of_its_own
"""

from concurrent.futures import ThreadPoolExecutor

MOD_ADLER = 65521


def checksum(data: bytes) -> int:
    a, b = 1, 0
    for byte in data:
        a = (a + byte) % MOD_ADLER
        b = (b + a) % MOD_ADLER
    return (b << 16) | a


def checksums(blocks: list[bytes], digest=checksum) -> list[int]:
    with ThreadPoolExecutor(max_workers=max(1, len(blocks))) as pool:
        return list(pool.map(digest, blocks))
