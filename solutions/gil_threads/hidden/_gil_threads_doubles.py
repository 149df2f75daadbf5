"""Picklable doubles for the hidden grader of gil_threads (not a test module).

``hash_all`` sends ``digest`` to worker processes, which import this module by name (the hidden
directory is on the parent's ``sys.path``, and a ``spawn``-ed child gets the parent's path). So the
digest double must be a module-level class, and processes cannot share a ``threading`` primitive:
the double meets the other workers through files in a directory the grader made for the test.

- ``PidDigest(meeting_dir, grader_pid, parties=..., after=..., fail=...)`` returns a ``Digest``
  carrying the sha256 of the blob and the id of the process that computed it. With ``parties``, a
  call waits until that many *different* worker processes have called it (a barrier across
  processes: proof that they ran at the same time, not a timing guess). With ``after={a: b}``, the
  call for blob ``a`` returns only once the result for blob ``b`` has *arrived in the grader's
  process* (a ``Digest`` leaves a file behind when it is unpickled there), so the results finish in
  a known order. Every wait gives up after ``WAIT`` seconds, and once one call has given up the
  others stop waiting too: a wrong solution ends with a verdict instead of hanging.
- In the grader's own process (threads or a plain loop) the double never waits: there is nothing
  to meet, and the grader reports where the work ran.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

WAIT = 15.0  # seconds a worker waits for the others: generous, spawning is slow under load
POLL = 0.005


def sha(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


@dataclass(frozen=True)
class Digest:
    """What the double returns: the digest, the worker's pid, and whether the meeting happened."""

    hex: str
    pid: int
    met: bool | None = None  # None: no meeting was asked for, or it ran in the grader's process
    meeting_dir: str = ""

    def __reduce__(self):
        # Unpickling in the grader's process (that is, when the pool delivers this result) calls
        # `_arrived`, which leaves a file that a worker waiting for this result can see.
        return (_arrived, (self.hex, self.pid, self.met, self.meeting_dir))


def _arrived(hex: str, pid: int, met: bool | None, meeting_dir: str) -> Digest:
    if meeting_dir and os.getpid() != pid:
        Path(meeting_dir, f"arrived-{hex}").touch()
    return Digest(hex, pid, met, meeting_dir)


class PidDigest:
    """The ``digest(blob)`` double: picklable, so it can be sent to worker processes."""

    def __init__(self, meeting_dir, grader_pid, *, parties=0, after=None, fail=None) -> None:
        self.meeting_dir = str(meeting_dir)
        self.grader_pid = grader_pid
        self.parties = parties
        self.after = dict(after or {})
        self.fail = dict(fail or {})

    def __call__(self, blob: bytes) -> Digest:
        if blob in self.fail:
            raise ValueError(self.fail[blob])
        pid = os.getpid()
        if pid == self.grader_pid:
            return Digest(sha(blob), pid)
        met = self._meet(pid) if self.parties else None
        if blob in self.after:
            self._wait_for(f"arrived-{sha(self.after[blob])}")
        return Digest(sha(blob), pid, met, self.meeting_dir)

    def _meet(self, pid: int) -> bool:
        """Announce this process, then wait until ``parties`` different processes have."""
        here = Path(self.meeting_dir)
        (here / f"pid-{pid}").touch()
        return self._wait_until(
            lambda: sum(1 for p in here.iterdir() if p.name.startswith("pid-")) >= self.parties
        )

    def _wait_for(self, name: str) -> bool:
        path = Path(self.meeting_dir, name)
        return self._wait_until(path.exists)

    def _wait_until(self, condition) -> bool:
        gave_up = Path(self.meeting_dir, "gave-up")
        deadline = time.monotonic() + WAIT
        while not condition():
            if gave_up.exists():
                return False
            if time.monotonic() > deadline:
                gave_up.touch()
                return False
            time.sleep(POLL)
        return True
