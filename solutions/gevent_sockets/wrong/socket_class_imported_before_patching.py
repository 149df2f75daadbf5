"""Imports the socket class with `from socket import socket` above patch_all(): it keeps the blocking original.

Caught by: test_fetch_all_keeps_every_connection_open_at_once, test_patches_at_import_and_keeps_no_blocking_originals
"""

from socket import AF_INET, SOCK_STREAM, socket

from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402


def fetch_one(address, message):
    with socket(AF_INET, SOCK_STREAM) as conn:
        conn.connect(address)
        conn.sendall(message.encode("utf-8") + b"\n")
        with conn.makefile("rb") as reader:
            line = reader.readline()
    if not line.endswith(b"\n"):
        raise ConnectionError("the server hung up before the end of its reply")
    return line[:-1].decode("utf-8")


def fetch_all(address, messages):
    jobs = [gevent.spawn(fetch_one, address, message) for message in messages]
    gevent.joinall(jobs, raise_error=True)
    return [job.value for job in jobs]
