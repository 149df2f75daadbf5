"""Concurrent sockets with gevent monkey-patching: the reference solution of gevent_sockets.

``fetch_one`` is ordinary blocking socket code: connect, send one line, read one line back.
``fetch_all`` runs one ``fetch_one`` per message, each in a greenlet, all at once. What makes them
overlap is the monkey-patching at the very top: once gevent has replaced the standard library's
socket functions, every call that would block switches to gevent's hub instead, which runs the
other greenlets until the socket is ready.
"""

# First, before anything else is imported: patch_all() replaces the blocking parts of the standard
# library (socket, ssl, select, time.sleep, threading, ...) with gevent's cooperative versions, in
# place, in their own modules. Code that looks them up afterwards (`socket.create_connection`)
# gets gevent's; a name copied out of a module before this line (`from socket import socket`)
# would keep the blocking original and stall every greenlet while it waits.
from gevent import monkey

monkey.patch_all()

import socket  # noqa: E402  (after patch_all on purpose: see above)

import gevent  # noqa: E402


def fetch_one(address: tuple[str, int], message: str) -> str:
    """Send ``message`` as one line to the server at ``address`` and return its one-line reply."""
    # Plain blocking style: under the patch, each call that waits (connect, sendall, readline)
    # lets the other greenlets run, without a single `await` or callback in sight.
    with socket.create_connection(address) as conn:
        conn.sendall(message.encode("utf-8") + b"\n")
        # One recv() returns whatever has arrived so far: part of a long reply, or b"" if the
        # server hung up. readline() on a file view of the socket reads until the newline.
        with conn.makefile("rb") as reader:
            line = reader.readline()
    if not line.endswith(b"\n"):
        raise ConnectionError(f"the server closed the connection before the end of its reply to {message!r}")
    return line[:-1].decode("utf-8")


def fetch_all(address: tuple[str, int], messages: list[str]) -> list[str]:
    """Exchange every message on a connection of its own, all at once; replies in message order."""
    jobs = [gevent.spawn(fetch_one, address, message) for message in messages]
    try:
        # joinall() waits for them all; without raise_error=True a failed greenlet's exception
        # is only printed, and its .value is None.
        gevent.joinall(jobs, raise_error=True)
    finally:
        gevent.killall(jobs)  # after a failure, stop the exchanges still running (no-op otherwise)
    # Collect by position, not as they finish: the order of `messages` is the contract.
    return [job.value for job in jobs]
