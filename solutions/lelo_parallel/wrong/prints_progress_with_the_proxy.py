"""Prints each proxy as it starts its call ("started block 0: ..."): printing it waits for the value.

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
    in_a_process = parallel(digest)
    pending = []
    for i, block in enumerate(blocks):
        proxy = in_a_process(block)
        print(f"started block {i}: {proxy}")  # str(proxy) is a use: it blocks until the result is in
        pending.append(proxy)
    return [int(proxy) for proxy in pending]
