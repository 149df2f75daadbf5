"""Submissions in: directories and zip archives, reduced to the files the course expects.

``course grade`` accepts submission directories (a copy of the student's repository, recognised
by its ``exercises/`` folder) and folders whose children are submissions (a directory or a
``.zip`` each, named after the student), mixed freely. From each submission only the files named
by an exercise's ``path`` are taken, as bytes: a ``conftest.py``, a ``pytest.ini``, a
``sitecustomize.py`` or a ``pytest.py`` beside them never reaches a grading run, and nothing of
the submission is executed or extracted to disk here.

Refused, with a reason the instructor sees: an exercise file that is a symbolic link (or lies
under one), one larger than ``MAX_FILE_BYTES``; a zip with an entry that would land outside its
folder (``../``, an absolute path), a symlink entry, too many entries or too many bytes, or that
is not a readable zip at all.

Example::

    >>> subs, problems = discover([Path("downloads/")], course.exercises)   # doctest: +SKIP
    >>> subs[0].student, sorted(subs[0].files)                              # doctest: +SKIP
    ('alice', ['exercises/fix_blocking/fix_blocking.py'])
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from grader.manifest import Exercise

MAX_FILE_BYTES = 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_BYTES = 200 * 1024 * 1024  # uncompressed, all entries together
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._@+-]+")


@dataclass
class Submission:
    """One student's whitelisted files, read into memory, and what was refused on the way."""

    student: str
    source: Path
    files: dict[str, bytes] = field(default_factory=dict)  # exercise path -> content
    refused: dict[str, str] = field(default_factory=dict)  # exercise path -> reason
    error: str | None = None  # the whole submission could not be read (a bad archive)

    def digest(self) -> str:
        """A content hash of what is graded: the same files give the same hash, wherever they came from."""
        h = hashlib.sha256()
        for path in sorted(self.files):
            h.update(path.encode() + b"\0" + hashlib.sha256(self.files[path]).digest())
        for path in sorted(self.refused):
            h.update(b"refused\0" + path.encode() + b"\0" + self.refused[path].encode())
        if self.error:
            h.update(b"error\0" + self.error.encode())
        return h.hexdigest()


def _size(n: int) -> str:
    return f"{n // 1024} KiB" if n >= 1024 else f"{n} bytes"


def student_name(name: str) -> str:
    """A file-safe student name: ``"Ana María (2).zip"`` -> ``"Ana_Mar_a_2_"`` minus the suffix."""
    stem = name[:-4] if name.lower().endswith(".zip") else name
    return _SAFE_NAME.sub("_", stem).strip("._") or "unnamed"


def is_submission_dir(path: Path) -> bool:
    """A copy of the student's repository: it has the course's ``exercises/`` folder."""
    return (path / "exercises").is_dir() and not (path / "exercises").is_symlink()


def discover(paths: Iterable[Path], exercises: Iterable[Exercise]) -> tuple[list[Submission], list[str]]:
    """Every submission under ``paths``, read; and a problem line for each path that is not one."""
    wanted = [ex.path for ex in exercises]
    subs: list[Submission] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}

    def add(source: Path) -> None:
        student = student_name(source.name)
        if student in seen:
            problems.append(
                f"{source}: a second submission named {student!r} (first: {seen[student]}); skipped"
            )
            return
        seen[student] = source
        reader = read_zip if source.suffix.lower() == ".zip" else read_dir
        subs.append(reader(source, student, wanted))

    for path in paths:
        if path.is_symlink():
            problems.append(f"{path}: a symbolic link; pass the submission itself")
        elif path.is_dir() and is_submission_dir(path):
            add(path)
        elif path.is_dir():
            children = sorted(path.iterdir())
            found = [c for c in children if _is_child_submission(c)]
            if not found:
                problems.append(f"{path}: no submissions in it (directories or .zip files)")
            for child in found:
                add(child)
            for child in children:
                if child not in found and not child.name.startswith("."):
                    problems.append(f"{child}: not a submission (a directory or a .zip); skipped")
        elif path.is_file() and path.suffix.lower() == ".zip":
            add(path)
        else:
            problems.append(f"{path}: not a directory or a .zip file")
    return subs, problems


def _is_child_submission(path: Path) -> bool:
    if path.name.startswith(".") or path.is_symlink():
        return False
    return path.is_dir() or (path.is_file() and path.suffix.lower() == ".zip")


def read_dir(root: Path, student: str, wanted: list[str]) -> Submission:
    """Read the wanted files of a submission directory, refusing symlinks anywhere on their path."""
    sub = Submission(student, root)
    for rel in wanted:
        parts = PurePosixPath(rel).parts
        here = root
        reason = None
        for i, part in enumerate(parts):
            here = here / part
            try:
                st = os.lstat(here)
            except FileNotFoundError:
                reason = "missing"
                break
            if stat.S_ISLNK(st.st_mode):
                what = "is" if i == len(parts) - 1 else f"lies under {'/'.join(parts[: i + 1])}, which is"
                reason = f"{rel} {what} a symbolic link: refused, never followed"
                break
        if reason == "missing":
            continue
        if reason is None:
            reason = _read_regular(here, rel, sub)
        if reason:
            sub.refused[rel] = reason
    return sub


def _read_regular(path: Path, rel: str, sub: Submission) -> str | None:
    try:
        # O_NOFOLLOW: a symlink swapped in after the check above is refused by the kernel.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        return f"{rel} could not be read ({exc.strerror})"
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return f"{rel} is not a regular file"
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return f"{rel} is larger than {_size(MAX_FILE_BYTES)}"
    sub.files[rel] = data
    return None


def _zip_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    pure = PurePosixPath(name)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or pure.is_absolute():
        return f"entry {name!r} has an absolute path"
    if ".." in pure.parts or "\\" in name:
        return f"entry {name!r} would land outside the submission"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"entry {name!r} is a symbolic link"
    return None


def read_zip(path: Path, student: str, wanted: list[str]) -> Submission:
    """Read the wanted files of a zip archive, checking every entry before trusting any."""
    sub = Submission(student, path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                sub.error = f"the archive has {len(infos)} entries (limit {MAX_ZIP_ENTRIES})"
                return sub
            if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
                sub.error = f"the archive unpacks to more than {MAX_ZIP_BYTES // (1024 * 1024)} MiB"
                return sub
            unsafe = [p for p in map(_zip_problem, infos) if p]
            if unsafe:
                sub.error = f"unsafe archive: {unsafe[0]}" + (
                    f" (and {len(unsafe) - 1} more)" if len(unsafe) > 1 else ""
                )
                return sub
            entries = {i.filename.rstrip("/"): i for i in infos}
            prefix = _common_top(entries, wanted)
            for rel in wanted:
                info = entries.get(prefix + rel)
                if info is None:
                    continue
                if info.is_dir():
                    sub.refused[rel] = f"{rel} is a directory in the archive"
                    continue
                if info.file_size > MAX_FILE_BYTES:
                    sub.refused[rel] = f"{rel} is larger than {_size(MAX_FILE_BYTES)}"
                    continue
                with archive.open(info) as fh:  # the header's size may lie: read at most the limit
                    data = fh.read(MAX_FILE_BYTES + 1)
                if len(data) > MAX_FILE_BYTES:
                    sub.refused[rel] = f"{rel} is larger than {_size(MAX_FILE_BYTES)}"
                else:
                    sub.files[rel] = data
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        sub.files.clear()
        sub.error = f"not a readable zip archive ({exc})"
    return sub


def _common_top(entries: dict[str, zipfile.ZipInfo], wanted: list[str]) -> str:
    """``"alice/"`` when the archive holds one folder that holds the repository (zipping a folder)."""
    if any(rel in entries for rel in wanted) or any(n.startswith("exercises/") for n in entries):
        return ""
    tops = {n.split("/", 1)[0] for n in entries if "/" in n}
    if len(tops) == 1:
        return tops.pop() + "/"
    return ""
