"""The sandbox around one grading run, without a container engine.

Each run gets a private directory holding only what it needs (the course manifest, this
exercise's public tests and hidden graders, the student's whitelisted file), and its command is
wrapped so that, where the OS allows it, it runs:

- in new network, PID and mount namespaces (``unshare``): no network but a private loopback;
  every process of the run dies with it, ``setsid()`` or not; the course's solutions, the
  submissions folder and the output folder are covered by an empty tmpfs; and the hidden test
  modules, once pytest has imported them, are covered by an empty file (``jail.Sealer``);
- as a uid of its own (when the grader runs as root), so it can neither write the gradebook nor
  read another run's directory, and so that the process limit counts this run alone;
- under resource limits (``course.yml`` ``grading.limits``), applied by ``grader/jail.py``.

What the machine allows is probed once (``probe()``) and recorded in every result, so a report
never claims more isolation than it had.

Example::

    >>> iso = probe()                                                    # doctest: +SKIP
    >>> iso.describe()                                                   # doctest: +SKIP
    'network off, PID namespace, hidden paths, own uid, limits'
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from grader.manifest import SandboxLimits

JAIL = Path(__file__).with_name("jail.py")
UID_BASE = 200_000
_uid_counter = itertools.count()
_uid_lock = threading.Lock()


@dataclass(frozen=True)
class Isolation:
    """What the sandbox does on this machine: each flag is a defence that was shown to work."""

    namespaces: bool = False  # network, PID and mount namespaces (unshare)
    user_namespace: bool = False  # namespaces needed an unprivileged user namespace (not root)
    own_uid: bool = False  # each run as a uid of its own (needs root)
    limits: bool = True  # rlimits (always available on POSIX)

    def describe(self) -> str:
        """A short human description for report headers."""
        parts = []
        if self.namespaces:
            parts += ["network off", "PID namespace", "hidden paths"]
        else:
            parts.append("no namespaces (network on, process group only)")
        parts.append("own uid" if self.own_uid else "same uid as the grader")
        if self.limits:
            parts.append("limits")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, bool]:
        return asdict(self)


NONE = Isolation(limits=False)


def _rlimits(limits: SandboxLimits) -> dict[str, int]:
    mib = 1024 * 1024
    return {
        "cpu": limits.cpu_seconds,
        "as": limits.memory_mb * mib,
        "fsize": limits.file_size_mb * mib,
        "nproc": limits.processes,
        "nofile": limits.open_files,
    }


def _namespace_prefix(isolation: Isolation) -> list[str]:
    if not isolation.namespaces:
        return []
    prefix = ["unshare"]
    if isolation.user_namespace:
        prefix += ["--user", "--map-root-user"]
    # --kill-child: if unshare itself is killed (the wall-clock limit), the namespace's init dies,
    # and with it every process of the run.
    return [*prefix, "--net", "--pid", "--mount", "--fork", "--kill-child", "--mount-proc"]


def wrap_command(
    argv: list[str],
    isolation: Isolation,
    limits: SandboxLimits,
    *,
    uid: int | None,
    hide: list[Path] = (),  # type: ignore[assignment]
    seal: list[Path] = (),  # type: ignore[assignment]
    seal_with: Path | None = None,
) -> list[str]:
    """The command that runs ``argv`` inside the sandbox ``isolation`` allows.

    ``seal`` names the files (the hidden test modules) that the jail covers with the empty file
    ``seal_with`` when the run asks (``grader.seal``), so that student code cannot read them.

    Example::

        >>> cmd = wrap_command(["python", "-m", "pytest"], Isolation(), SandboxLimits(), uid=None)
        >>> cmd[:3]  # doctest: +ELLIPSIS
        ['...python...', '-I', '-S']
    """
    if isolation == NONE:
        return argv
    config = {
        "limits": _rlimits(limits) if isolation.limits else {},
        "uid": uid if isolation.own_uid else None,
        "hide": [str(p) for p in hide] if isolation.namespaces else [],
        "expose": needed_paths() if isolation.namespaces and isolation.own_uid else [],
        "stage": tempfile.gettempdir(),
        "loopback": isolation.namespaces,
        "init": isolation.namespaces,
        "seal": [str(p) for p in seal] if isolation.namespaces and seal_with else [],
        "seal_with": str(seal_with) if seal_with else None,
    }
    jail = [sys.executable, "-I", "-S", str(JAIL), json.dumps(config), "--"]
    return [*_namespace_prefix(isolation), *jail, *argv]


def needed_paths() -> list[str]:
    """What every run reads: the interpreter's installation, the virtual environment, this kit."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(__file__).parent.resolve()}
    return sorted(str(p) for p in paths)


def safe_to_hide(paths: list[Path]) -> list[Path]:
    """The existing directories of ``paths`` that a run can do without, outermost only.

    Never one that holds what every run needs: the temporary directory (the workspaces), the
    interpreter and its packages, or this kit's code.
    """
    needed = [Path(tempfile.gettempdir()), Path(sys.prefix), Path(sys.base_prefix), Path(__file__).parent]
    needed = [p.resolve() for p in needed]
    keep: list[Path] = []
    for path in sorted({p.resolve() for p in paths if p.is_dir()}, key=lambda p: len(p.parts)):
        if any(n == path or n.is_relative_to(path) for n in needed):
            continue
        if any(path.is_relative_to(k) for k in keep):
            continue
        keep.append(path)
    return keep


def next_uid() -> int:
    """A uid no other run of this machine uses at the same time (process id and a counter)."""
    with _uid_lock:
        n = next(_uid_counter) % 100
    return UID_BASE + (os.getpid() % 100_000) * 100 + n


def uid_owner(uid: int) -> int:
    """The pid (modulo 100,000) of the grading process that chose ``uid`` with :func:`next_uid`.

    >>> uid_owner(UID_BASE + 4242 * 100 + 7)
    4242
    """
    return (uid - UID_BASE) // 100


@functools.cache
def probe() -> Isolation:
    """Find the strongest isolation that runs the grader's interpreter here, trying each in turn."""
    if os.name != "posix":
        return NONE
    root = os.geteuid() == 0
    candidates = []
    if shutil.which("unshare") and shutil.which("mount"):
        candidates.append(Isolation(namespaces=True, user_namespace=not root, own_uid=root))
        if root:
            candidates.append(Isolation(namespaces=True, own_uid=False))
    if root:
        candidates.append(Isolation(own_uid=True))
    candidates.append(Isolation())
    # pytest lists the workspace's parent while collecting: the temporary directory must be
    # readable by the run's uid too (it is, as /tmp; a private TMPDIR is not).
    # With namespaces, a hidden test must also seal: afterwards it reads as empty.
    check = (
        "import grader.plugin, pytest, os, sys; from grader.seal import seal_hidden_tests; "
        "os.listdir('../..'); sealed = seal_hidden_tests(); "
        "expected = sys.argv[2] == 'seal'; "
        "sys.exit(0 if sealed == expected and (not sealed or open(sys.argv[1]).read() == '') else 1)"
    )
    for iso in candidates:
        # A real workspace: the run's uid must reach the temporary directory, the interpreter
        # and the kit, a path must hide and a hidden test must seal.
        hidden_test = "solutions/x/hidden/test_x.py"
        with workspace({"course.yml": b"", hidden_test: b"x"}, {}, isolation=iso, hide=[]) as ws:
            seal = [ws.course_file.parent / hidden_test]
            argv = [sys.executable, "-I", "-c", check, str(seal[0]), "seal" if iso.namespaces else "none"]
            cmd = wrap_command(
                argv, iso, SandboxLimits(), uid=ws.uid, hide=[ws.submission], seal=seal, seal_with=ws.empty
            )
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                done = subprocess.run(cmd, cwd=ws.work, capture_output=True, timeout=60, check=False)
                if done.returncode == 0:
                    return iso
    return NONE


def sweep(uid: int) -> None:
    """Kill every process of ``uid`` (the runs without a PID namespace: nothing may outlive them)."""
    code = f"import os; os.setgid({uid}); os.setuid({uid}); os.kill(-1, 9)"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, timeout=30, check=False)


@dataclass
class Workspace:
    """A run's private directory: read-only inputs owned by the grader, a writable ``work/``."""

    root: Path
    uid: int | None
    hide: list[Path] = field(default_factory=list)

    @property
    def course_file(self) -> Path:
        return self.root / "course" / "course.yml"

    @property
    def submission(self) -> Path:
        return self.root / "submission"

    @property
    def work(self) -> Path:
        return self.root / "work"

    @property
    def tmp(self) -> Path:
        return self.root / "work" / "tmp"

    @property
    def empty(self) -> Path:
        """An empty read-only file: what a sealed hidden test module reads as."""
        return self.root / "empty"

    def env(self) -> dict[str, str]:
        """Where the run may write: its own work directory."""
        return {"HOME": str(self.work), "TMPDIR": str(self.tmp)}


def _write_tree(base: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        target = base / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _chmod_tree(base: Path, dir_mode: int, file_mode: int) -> None:
    for dirpath, _dirs, filenames in os.walk(base):
        os.chmod(dirpath, dir_mode)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), file_mode)


@contextlib.contextmanager
def workspace(
    graders: dict[str, bytes], student_files: dict[str, bytes], *, isolation: Isolation, hide: list[Path]
) -> contextlib.AbstractContextManager[Workspace]:  # type: ignore[misc]
    """A private directory for one run, removed afterwards.

    ``graders`` maps paths relative to the course root (``course.yml``, public tests, hidden
    graders) to their bytes; ``student_files`` the submission's whitelisted files. Inputs are
    read-only and owned by the grader: a run cannot rewrite the tests it is graded by, even
    between the restarts after a crash. Only ``work/`` belongs to the run's uid.

    Example::

        with workspace({"course.yml": b"..."}, {"exercises/x/x.py": b"..."}, isolation=iso, hide=[]) as ws:
            subprocess.run(wrap_command(cmd, iso, limits, uid=ws.uid), cwd=ws.work)
    """
    uid = next_uid() if isolation.own_uid else None
    root = Path(tempfile.mkdtemp(prefix="course-run-"))
    try:
        ws = Workspace(root, uid, hide)
        _write_tree(ws.course_file.parent, graders)
        _write_tree(ws.submission, student_files)
        ws.tmp.mkdir(parents=True)
        ws.empty.touch(mode=0o444)
        _chmod_tree(ws.course_file.parent, 0o755, 0o644)
        _chmod_tree(ws.submission, 0o755, 0o644)
        os.chmod(root, 0o755)
        if uid is not None:
            # Only this run's group may enter: another run (another uid) cannot read this
            # student's file while both are graded at once.
            os.chown(root, 0, uid)
            os.chmod(root, 0o750)
            for path in (ws.work, ws.tmp):
                os.chown(path, uid, uid)
                os.chmod(path, 0o700)
        yield ws
    finally:
        shutil.rmtree(root, ignore_errors=True)
