"""Spawns a greenlet per message but never monkey-patches: blocking sockets make them take turns.

Caught by: test_fetch_all_keeps_every_connection_open_at_once, test_patches_at_import_and_keeps_no_blocking_originals
"""

import socket

import gevent


def fetch_one(address, message):
    with socket.create_connection(address) as conn:
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
