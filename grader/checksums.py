"""Checksums of the public tests, written by ``course release`` and checked by ``course check``.

A student who edits a visible test changes nothing about their grade (graders use the course's own
copy), so ``course check`` says so instead of letting a green line mislead them. The file uses
``sha256sum``'s format, so ``sha256sum -c public-tests.sha256`` checks it too.

Example::

    >>> text = render({"exercises/a/test_a.py": "0" * 64})
    >>> text
    '0000000000000000000000000000000000000000000000000000000000000000  exercises/a/test_a.py\\n'
    >>> parse(text, "public-tests.sha256")
    {'exercises/a/test_a.py': '0000000000000000000000000000000000000000000000000000000000000000'}
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

CHECKSUM_FILE = "public-tests.sha256"
# The starters as released: `course reset` finds the commit that still has one, whatever the
# student committed since.
STARTERS_FILE = "starters.sha256"
_LINE_RE = re.compile(r"^([0-9a-f]{64}) [ *](\S.*)$")


class ChecksumError(ValueError):
    """A malformed checksum file: the message names the file and line."""


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex. Example: ``digest(Path("exercises/a/test_a.py"))``."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compute(root: Path, relpaths: list[str]) -> dict[str, str]:
    """``{relpath: sha256}`` for files under ``root`` (POSIX relative paths, as recorded).

    Example: ``compute(Path("release"), ["exercises/a/test_a.py"])`` -> ``{"exercises/a/...": "9f86..."}``.
    """
    return {rel: digest(root / rel) for rel in sorted(relpaths)}


def render(sums: dict[str, str]) -> str:
    """The checksum file's text: ``<sha256>  <path>`` per line, sorted by path."""
    return "".join(f"{sums[rel]}  {rel}\n" for rel in sorted(sums))


def parse(text: str, file: str | Path) -> dict[str, str]:
    """Read a checksum file's text; a malformed line raises ``ChecksumError`` naming ``file:line``."""
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE_RE.match(line)
        if match is None:
            raise ChecksumError(f"{file}:{number}: expected '<sha256>  <path>', found {line[:60]!r}")
        sums[match.group(2)] = match.group(1)
    return sums


def edited(root: Path, sums: dict[str, str]) -> list[tuple[str, str]]:
    """The recorded files that differ from their checksum: ``(relpath, "edited" | "missing")``.

    >>> edited(Path("/nonexistent"), {"exercises/a/test_a.py": "0" * 64})
    [('exercises/a/test_a.py', 'missing')]
    """
    changed = []
    for rel, expected in sorted(sums.items()):
        path = root / rel
        if not path.is_file():
            changed.append((rel, "missing"))
        elif digest(path) != expected:
            changed.append((rel, "edited"))
    return changed


def warnings(root: Path) -> list[str]:
    """``course check``'s warnings about edited public tests under ``root`` (none without the file).

    Example: ``warnings(Path("."))`` -> ``["warning: exercises/a/test_a.py was edited ..."]``.
    """
    file = root / CHECKSUM_FILE
    try:
        sums = parse(file.read_text(encoding="utf-8"), CHECKSUM_FILE)
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        return [f"warning: cannot read {CHECKSUM_FILE}: {exc}"]
    except ChecksumError as exc:
        return [f"warning: {exc}: edited public tests cannot be detected"]
    return [
        f"warning: {rel} was {how} (it no longer matches {CHECKSUM_FILE}): your grade uses the "
        f"course's own copy of the public tests, so restore it with `git checkout -- {rel}`"
        for rel, how in edited(root, sums)
    ]
