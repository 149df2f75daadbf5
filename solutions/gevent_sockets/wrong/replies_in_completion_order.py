"""Each greenlet appends its reply to a shared list when it finishes: replies in completion order.

Caught by: test_fetch_all_returns_replies_in_the_order_of_messages
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

    def exchange(message):
        replies.append(fetch_one(address, message))

    gevent.joinall([gevent.spawn(exchange, message) for message in messages], raise_error=True)
    return replies
