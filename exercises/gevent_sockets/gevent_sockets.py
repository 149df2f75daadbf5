"""Exercise gevent_sockets: concurrent sockets with gevent monkey-patching.

Goal: make `fetch_all` talk to the server over all its connections at once, in greenlets, while
`fetch_one` stays ordinary blocking socket code. gevent's monkey-patching makes that possible: it
replaces the blocking parts of the standard library with cooperative ones, so that a greenlet
waiting for its socket lets the others run. Patch at import, before anything else.

Read README.md for the full contract, then run `make check`.
"""

# TODO: patch the standard library with gevent (`from gevent import monkey`, then
# `monkey.patch_all()`) here, at the very top. Mind what this file imports, and from where: a name
# taken out of a module before the patch keeps the blocking original.
from socket import AF_INET, SOCK_STREAM, socket


def fetch_one(address: tuple[str, int], message: str) -> str:
    """Send ``message`` as one line to the server at ``address`` and return its one-line reply."""
    with socket(AF_INET, SOCK_STREAM) as conn:
        conn.connect(address)
        conn.sendall(message.encode("utf-8") + b"\n")
        reply = b""
        # Read until the newline: one recv() returns only what has arrived so far.
        while not reply.endswith(b"\n"):
            chunk = conn.recv(4096)
            if not chunk:
                raise ConnectionError(f"the server hung up before the end of its reply to {message!r}")
            reply += chunk
    return reply[:-1].decode("utf-8")


def fetch_all(address: tuple[str, int], messages: list[str]) -> list[str]:
    """Exchange every message on a connection of its own, all at once; replies in message order."""
    # TODO: this talks to the server one connection after another. Run one fetch_one per message
    # in a greenlet of its own (gevent.spawn, or a gevent.pool.Pool), start them all, then wait
    # for all of them; return the replies in the order of `messages`, and let an error propagate.
    return [fetch_one(address, message) for message in messages]
