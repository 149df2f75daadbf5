"""joinall() without raise_error, then the values: a failed greenlet's error is printed, its value is None.

Caught by: test_a_refused_connection_raises_connection_error, test_a_reply_cut_short_raises_connection_error
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
    jobs = [gevent.spawn(fetch_one, address, message) for message in messages]
    gevent.joinall(jobs)
    return [job.value for job in jobs]
