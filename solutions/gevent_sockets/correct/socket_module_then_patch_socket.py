"""Imports the socket *module* first, then patch_socket() only; spawn + get() one by one, in order.

Importing the module before patching is harmless here: gevent replaces its attributes in place, and
this code looks `socket.create_connection` up at each call. Patching only socket (with its DNS
functions) is enough for this program, though patch_all() is the usual choice.
"""

import socket

import gevent
from gevent import monkey

monkey.patch_socket()


def fetch_one(address: tuple[str, int], message: str) -> str:
    """Send one line, read one line back, in plain blocking style."""
    conn = socket.create_connection(address)
    try:
        conn.sendall(message.encode() + b"\n")
        reply = b""
        while b"\n" not in reply:
            more = conn.recv(65536)
            if more == b"":
                raise ConnectionError("reply cut short: the server closed the connection")
            reply += more
    finally:
        conn.close()
    return reply.split(b"\n", 1)[0].decode()


def fetch_all(address: tuple[str, int], messages: list[str]) -> list[str]:
    """All the exchanges at once, replies in the order of ``messages``."""
    greenlets = [gevent.spawn(fetch_one, address, message) for message in messages]
    try:
        return [g.get() for g in greenlets]  # get() waits for one and re-raises its error
    finally:
        gevent.killall(greenlets)  # if one failed, do not leave the others running
