"""Calls patch_all(socket=False) (say, to "keep sockets safe"): the sockets still block every greenlet.

Caught by: test_fetch_all_keeps_every_connection_open_at_once, test_patches_at_import_and_keeps_no_blocking_originals
"""

from gevent import monkey

monkey.patch_all(socket=False)

import socket  # noqa: E402

import gevent  # noqa: E402


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
