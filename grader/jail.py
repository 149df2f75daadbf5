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
4. forks the grading command, which drops to the run's own uid and gid with no supplementary
   groups (when started as root), and stays as the namespace's init: it reaps orphans and, when
   the command ends, exits with its status. The kernel then kills every process left in the PID
   namespace, including children that called ``setsid()``;
5. seals the hidden tests when the run asks (``Sealer``): once pytest has imported them, and
   before any student code runs, each hidden test module is covered with an empty file, so the
   student's code cannot read the hidden tests from disk and copy them into its messages.

CONFIG is JSON: ``{"limits": {"cpu": s, "as": bytes, "fsize": bytes, "nproc": n, "nofile": n},
"uid": int|null, "hide": [paths], "expose": [paths], "stage": dir, "loopback": bool, "init": bool,
"seal": [paths], "seal_with": empty file}`` (``expose``: paths the run needs under a directory
other users cannot enter, see ``expose()``; ``seal``: the files to cover when asked).

Example (what ``grader.sandbox`` runs)::

    unshare --net --pid --mount --fork --kill-child --mount-proc \\
        python -I -S grader/jail.py '{"limits": {"cpu": 60}, "uid": 200123, ...}' -- python -m pytest ...
"""

import ctypes
import errno
import json
import os
import resource
import signal
import socket
import struct
import subprocess
import sys
import threading

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
_MS_BIND = 4096
# The run's side of the seal handshake (``grader.seal``) finds its two pipe ends here.
SEAL_ENV = "COURSE_SEAL_FDS"


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


class Sealer:
    """Covers the hidden test modules with an empty file when the run asks, once.

    The run cannot do it itself: it has no right to mount. So the init, which keeps root in the
    namespaces, listens on a pipe: the grading plugin writes one byte when pytest has collected
    (imported) every test, and waits for the answer, ``k`` once every file reads as empty, ``e``
    if one could not be covered. Asking again changes nothing.
    """

    def __init__(self, paths: list[str], cover: str) -> None:
        self.paths, self.cover = paths, cover
        self.request_r, self.request_w = os.pipe()
        self.answer_r, self.answer_w = os.pipe()

    def child_side(self) -> None:
        """In the forked command, before exec: keep the run's two ends and say where they are."""
        os.close(self.request_r)
        os.close(self.answer_w)
        os.set_inheritable(self.request_w, True)
        os.set_inheritable(self.answer_r, True)
        os.environ[SEAL_ENV] = f"{self.request_w},{self.answer_r}"

    def serve(self) -> None:
        """In the init: answer the run's request from a thread, while the init reaps."""
        os.close(self.request_w)
        os.close(self.answer_r)
        threading.Thread(target=self._answer, daemon=True).start()

    def _answer(self) -> None:
        if os.read(self.request_r, 1) == b"":
            return  # the run ended without asking
        os.write(self.answer_w, b"k" if self.seal() else b"e")

    def seal(self) -> bool:
        """Bind the empty file over each path (mount(2) itself: no child for the init to reap)."""
        libc = ctypes.CDLL(None, use_errno=True)
        for path in self.paths:
            if libc.mount(self.cover.encode(), path.encode(), None, _MS_BIND, None) != 0:
                return False
        return all(os.stat(path).st_size == 0 for path in self.paths)


def run_as_init(argv: list[str], uid: int | None = None, sealer: Sealer | None = None) -> int:
    """Fork ``argv`` (as ``uid``), reap every child until it ends, and return its exit status."""
    # As PID 1 of the namespace this process gets no default signal actions: forward the
    # ones a parent uses to stop the run, so the command sees them.
    pid = os.fork()
    if pid == 0:
        try:
            if sealer is not None:
                sealer.child_side()
            if uid is not None:
                drop_privileges(uid)
            os.execvp(argv[0], argv)
        except OSError as exc:
            os.write(2, f"jail: cannot run {argv[0]}: {exc}\n".encode())
        finally:
            os._exit(127)
    if sealer is not None:
        sealer.serve()
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
    uid = None if config.get("uid") is None else int(config["uid"])
    if config.get("init"):
        # The init keeps its rights (to seal); only the command drops to the run's uid. The run
        # cannot signal or trace a process of another uid, so the init stays out of its reach.
        sealer = Sealer(config["seal"], config["seal_with"]) if config.get("seal") else None
        status = run_as_init(argv, uid, sealer)
        return status if status >= 0 else 128 - status
    if uid is not None:
        drop_privileges(uid)
    os.execvp(argv[0], argv)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
