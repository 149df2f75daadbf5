"""fetch_one reads the reply with a single recv(4096): long replies come back cut, a hang-up gives "".

Caught by: test_fetch_one_reads_long_and_non_ascii_replies_to_their_end, test_a_reply_cut_short_raises_connection_error
"""

from gevent import monkey

monkey.patch_all()

import socket  # noqa: E402

import gevent  # noqa: E402


def fetch_one(address, message):
    with socket.create_connection(address) as conn:
        conn.sendall(message.encode("utf-8") + b"\n")
        return conn.recv(4096).decode("utf-8", "replace").rstrip("\n")


def fetch_all(address, messages):
    jobs = [gevent.spawn(fetch_one, address, message) for message in messages]
    gevent.joinall(jobs, raise_error=True)
    return [job.value for job in jobs]
