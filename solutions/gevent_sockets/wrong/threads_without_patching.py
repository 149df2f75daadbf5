"""Uses a thread per connection (ThreadPoolExecutor) instead of gevent: concurrent, but not greenlets.

Caught by: test_patches_at_import_and_keeps_no_blocking_originals
"""

import socket
from concurrent.futures import ThreadPoolExecutor


def fetch_one(address, message):
    with socket.create_connection(address) as conn:
        conn.sendall(message.encode("utf-8") + b"\n")
        with conn.makefile("rb") as reader:
            line = reader.readline()
    if not line.endswith(b"\n"):
        raise ConnectionError("the server hung up before the end of its reply")
    return line[:-1].decode("utf-8")


def fetch_all(address, messages):
    if not messages:
        return []
    with ThreadPoolExecutor(max_workers=len(messages)) as pool:
        return list(pool.map(lambda message: fetch_one(address, message), messages))
