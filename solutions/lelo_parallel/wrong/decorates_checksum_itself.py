"""Decorates checksum itself with @parallel and calls digest directly: checksum now returns a proxy, and a digest passed in runs here, one block after the other.

Caught by: test_checksum_itself_stays_a_plain_function, test_each_block_is_checked_in_another_process, test_all_calls_are_running_at_the_same_time, test_every_call_is_started_before_any_result_is_used, test_each_call_runs_in_a_process_of_its_own
"""

from lelo import parallel

MOD_ADLER = 65521


@parallel
def checksum(data: bytes) -> int:
    a, b = 1, 0
    for byte in data:
        a = (a + byte) % MOD_ADLER
        b = (b + a) % MOD_ADLER
    return (b << 16) | a


def checksums(blocks: list[bytes], digest=checksum) -> list[int]:
    pending = [digest(block) for block in blocks]  # in a process of its own only if digest is lelo's
    return [int(result) for result in pending]
