"""The student's progress: which exercises pass and how many hints were shown, in a git-ignored file.

The file is ``.course-state.json`` beside course.yml. It is rewritten atomically (a crash mid-write
leaves the previous state), and a corrupt or foreign file is set aside rather than trusted or lost.

Example::

    >>> state = Progress.load(Path("/tmp/demo-state.json"))         # doctest: +SKIP
    >>> state.next_hint("fix_blocking", available=3)                # doctest: +SKIP
    1
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.files import write_atomic

STATE_FILE = ".course-state.json"
STATE_VERSION = 1


@dataclass
class Progress:
    """Per exercise: ``done`` (its public tests all passed at the last check), hints shown, and
    ``gave_up`` (the student asked for the reference solution before passing: ``course solution
    SLUG --give-up``)."""

    path: Path
    done: dict[str, bool] = field(default_factory=dict)
    hints_shown: dict[str, int] = field(default_factory=dict)
    gave_up: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Progress:
        """Read the state file; a missing one is an empty state, a broken one is moved aside."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError):
            data = None
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            path.replace(path.with_suffix(".json.broken"))
            return cls(path)
        done = {str(k): bool(v) for k, v in dict(data.get("done", {})).items()}
        hints = {str(k): int(v) for k, v in dict(data.get("hints_shown", {})).items()}
        # Absent from files written before give-ups were recorded: same version, nothing given up.
        gave_up = {str(k): bool(v) for k, v in dict(data.get("gave_up", {})).items()}
        return cls(path, done, hints, gave_up)

    def save(self) -> None:
        """Write the state atomically."""
        data: dict[str, Any] = {
            "version": STATE_VERSION,
            "done": self.done,
            "hints_shown": self.hints_shown,
            "gave_up": self.gave_up,
        }
        write_atomic(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")

    def next_hint(self, slug: str, available: int) -> int:
        """Record one more hint for ``slug`` and return its 1-based level (capped at ``available``)."""
        level = min(self.hints_shown.get(slug, 0) + 1, available)
        self.hints_shown[slug] = level
        return level

    def hint_level(self, slug: str) -> int:
        """How many hints of ``slug`` the student has seen (at least the first, once checked)."""
        return self.hints_shown.get(slug, 0)
