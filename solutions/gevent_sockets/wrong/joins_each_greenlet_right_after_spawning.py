"""Patches correctly but waits for each greenlet right after spawning it: one exchange at a time.

Caught by: test_fetch_all_keeps_every_connection_open_at_once
"""

from gevent import monkey

monkey.patch_all()

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
    replies = []
    for message in messages:
        job = gevent.spawn(fetch_one, address, message)
        replies.append(job.get())
    return replies
