"""A gevent.pool.Pool maps fetch_one over the messages; fetch_one reads the reply with a recv() loop.

Pool.map() starts every job before it waits, returns the results in the order of its input, and
re-raises the first error. A Pool without a size bounds nothing: all the connections open at once.
"""

from gevent import monkey

monkey.patch_all()

import functools  # noqa: E402
import socket  # noqa: E402

from gevent.pool import Pool  # noqa: E402


def fetch_one(address: tuple[str, int], message: str) -> str:
    """Send one line, read one line back, in plain blocking style."""
    with socket.create_connection(address) as conn:
        conn.sendall(f"{message}\n".encode())
        received = bytearray()
        while not received.endswith(b"\n"):
            chunk = conn.recv(1024)  # a few bytes or many: whatever has arrived
            if not chunk:
                raise ConnectionError(f"connection closed in the middle of the reply to {message!r}")
            received += chunk
    return received[:-1].decode()


def fetch_all(address: tuple[str, int], messages: list[str]) -> list[str]:
    """All the exchanges at once, replies in the order of ``messages``."""
    return Pool().map(functools.partial(fetch_one, address), messages)
