"""patch_all() then an ordinary ThreadPoolExecutor: once threading is patched, its "threads" are greenlets.

The same code without the patch would run real OS threads; with it, every Thread the executor
starts is a greenlet on gevent's hub, in this one OS thread.
"""

from gevent import monkey

monkey.patch_all()

import socket  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402


def fetch_one(address: tuple[str, int], message: str) -> str:
    """Send one line, read one line back, in plain blocking style."""
    with socket.create_connection(address) as conn, conn.makefile("rwb") as stream:
        stream.write(message.encode("utf-8") + b"\n")
        stream.flush()
        line = stream.readline()
    if not line.endswith(b"\n"):
        raise ConnectionError(f"the server hung up before replying to {message!r}")
    return line.rstrip(b"\n").decode("utf-8")


def fetch_all(address: tuple[str, int], messages: list[str]) -> list[str]:
    """All the exchanges at once, replies in the order of ``messages``."""
    if not messages:
        return []
    with ThreadPoolExecutor(max_workers=len(messages)) as pool:
        futures = [pool.submit(fetch_one, address, message) for message in messages]
        return [future.result() for future in futures]  # in order; re-raises a failure
