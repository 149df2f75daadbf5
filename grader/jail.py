"""The inside of the sandbox: limits, hidden paths, an unprivileged user, then the grading run.

This file runs as a script (``python -I -S jail.py CONFIG -- COMMAND...``), never as part of the
``grader`` package, so that nothing but the standard library executes before the limits are in
place. ``grader.sandbox`` starts it inside fresh namespaces (``unshare --net --pid --mount``) when
the OS allows it; it then:

1. brings the namespace's loopback interface up (a private 127.0.0.1, nothing outside reachable);
2. mounts an empty read-only tmpfs over every path in ``hide`` (the course's solutions, the
   submissions folder, the output folder), so no code in the run can read them, and makes the
   interpreter reachable for the run's uid where it lives in a closed home (``expose()``);
3. sets the resource limits (CPU seconds, address space, file size, processes, open files);
4. drops to the run's own uid and gid, with no supplementary groups (when started as root);
5. forks the grading command and stays as the namespace's init: it reaps orphans and, when the
   command ends, exits with its status. The kernel then kills every process left in the PID
   namespace, including children that called ``setsid()``.

CONFIG is JSON: ``{"limits": {"cpu": s, "as": bytes, "fsize": bytes, "nproc": n, "nofile": n},
"uid": int|null, "hide": [paths], "expose": [paths], "stage": dir, "loopback": bool, "init": bool}``
(``expose``: paths the run needs under a directory other users cannot enter, see ``expose()``).

Example (what ``grader.sandbox`` runs)::

    unshare --net --pid --mount --fork --kill-child --mount-proc \\
        python -I -S grader/jail.py '{"limits": {"cpu": 60}, "uid": 200123, ...}' -- python -m pytest ...
"""

import errno
import json
import os
import resource
import signal
import socket
import struct
import subprocess
import sys

_LIMITS = {
    "cpu": resource.RLIMIT_CPU,
    "as": resource.RLIMIT_AS,
    "fsize": resource.RLIMIT_FSIZE,
    "nproc": resource.RLIMIT_NPROC,
    "nofile": resource.RLIMIT_NOFILE,
}
_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1


def loopback_up() -> None:
    """Bring ``lo`` up in a new network namespace (it starts down), without needing iproute2."""
    import fcntl  # only where it is needed: the module stays importable on every platform

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        req = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, _SIOCGIFFLAGS, req))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | _IFF_UP))


def hide(paths: list[str]) -> None:
    """Cover each existing path with an empty, read-only tmpfs (in this mount namespace only)."""
    # Mounts made here must not propagate back to the host's namespace.
    subprocess.run(["mount", "--make-rprivate", "/"], check=True)
    for path in paths:
        if os.path.isdir(path):
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "ro,size=4k,mode=000", "course-hidden", path], check=True
            )


def _closed_ancestor(path: str) -> str | None:
    """The outermost ancestor of ``path`` that other users cannot traverse (``/root``, 0700)."""
    parts = os.path.abspath(path).split(os.sep)[1:]
    current = ""
    for part in parts[:-1]:
        current += os.sep + part
        if not os.stat(current).st_mode & 0o001:
            return current
    return None


def expose(paths: list[str], stage: str) -> None:
    """Make each path reachable by an unprivileged uid, in this mount namespace only.

    An interpreter installed under root's home (pyenv in ``/root``, mode 0700) cannot be run by
    another uid. Instead of loosening the host's permissions, each such path is bind-mounted
    aside, an empty tmpfs (mode 0711) covers the closed ancestor, and the paths are moved back
    inside it: the run reaches the interpreter and nothing else of that home.
    """
    import tempfile

    held: list[tuple[str, str]] = []
    covers: set[str] = set()
    for path in sorted(set(paths), key=len):
        closed = _closed_ancestor(path)
        if closed is None:
            continue
        aside = tempfile.mkdtemp(prefix="course-expose-", dir=stage)
        subprocess.run(["mount", "--bind", path, aside], check=True)
        held.append((path, aside))
        covers.add(closed)
    for closed in sorted(covers, key=len):
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "mode=0711,size=64k", "course-cover", closed], check=True
        )
    for path, aside in held:
        os.makedirs(path, mode=0o755, exist_ok=True)
        subprocess.run(["mount", "--move", aside, path], check=True)
        os.rmdir(aside)  # the empty directory on the host's /tmp


def set_limits(limits: dict[str, int]) -> None:
    """Apply the resource limits (soft and hard, so the run cannot raise them again)."""
    for name, value in limits.items():
        resource.setrlimit(_LIMITS[name], (value, value))


def drop_privileges(uid: int) -> None:
    """Become ``uid`` (gid the same number) with no supplementary groups."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def run_as_init(argv: list[str]) -> int:
    """Fork ``argv``, reap every child until it ends, and return its exit status."""
    # As PID 1 of the namespace this process gets no default signal actions: forward the
    # ones a parent uses to stop the run, so the command sees them.
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        except OSError as exc:
            os.write(2, f"jail: cannot run {argv[0]}: {exc}\n".encode())
        finally:
            os._exit(127)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: os.kill(pid, signum))
    while True:
        try:
            done, status = os.waitpid(-1, 0)
        except InterruptedError:
            continue
        except OSError as exc:
            if exc.errno == errno.ECHILD:
                return 1
            raise
        if done == pid:
            return os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status


def main(args: list[str]) -> int:
    if len(args) < 3 or args[1] != "--":
        print("usage: jail.py CONFIG -- COMMAND...", file=sys.stderr)
        return 2
    config = json.loads(args[0])
    argv = args[2:]
    if config.get("loopback"):
        loopback_up()
    if config.get("hide") or config.get("expose"):
        hide(config.get("hide", []))
        expose(config.get("expose", []), config["stage"])
    set_limits(config.get("limits", {}))
    if config.get("uid") is not None:
        drop_privileges(int(config["uid"]))
    if config.get("init"):
        status = run_as_init(argv)
        return status if status >= 0 else 128 - status
    os.execvp(argv[0], argv)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
