"""``course reset``: put an exercise's starter back, keeping the student's version as a backup.

Where the pristine starter comes from: git. The kit's repository and every student copy of it
(a clone of the release, a GitHub Classroom repository) are git repositories in which the starters
were committed as shipped. A release records each starter's SHA-256 in ``starters.sha256``, so in a
student's copy the starter is the file at the newest commit whose copy has that checksum, however
much the student has committed since. In the kit's own repository (no such record) it is the file
at ``HEAD``. ``--from REV`` names the revision instead. The working file is never trusted: it is
the student's.

Backups go to ``.course-backups/<slug>/<file>.<n>`` beside course.yml (git-ignored), numbered so
that no reset ever overwrites an earlier backup.

Example::

    >>> plan = plan_reset(course, course.exercise("demo"))           # doctest: +SKIP
    >>> plan.needed, plan.question()                                 # doctest: +SKIP
    >>> apply_reset(plan)                                            # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from grader import checksums
from grader.check import state_path
from grader.files import write_atomic
from grader.manifest import Course, Exercise
from grader.progress import Progress

BACKUP_DIR = ".course-backups"


class StarterError(RuntimeError):
    """The pristine starter cannot be found (no git, not a repository, not at that revision)."""


def _git(exercise: Exercise, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``git -C <the exercise's folder> ARGS``; a missing folder or git raises StarterError."""
    directory = exercise.starter.parent
    if not directory.is_dir():
        raise StarterError(f"{exercise.path}: its folder does not exist, so git cannot restore it")
    try:
        return subprocess.run(
            ["git", "-C", str(directory), *args], capture_output=True, timeout=30, check=False
        )
    except FileNotFoundError:
        raise StarterError(
            "git is not installed, and the starters are restored from git (install git)"
        ) from None


def _show(exercise: Exercise, rev: str) -> subprocess.CompletedProcess[bytes]:
    # "./name" is resolved against -C's directory, wherever the repository's top is.
    return _git(exercise, "show", f"{rev}:./{exercise.starter.name}")


def pristine_starter(exercise: Exercise, rev: str = "HEAD") -> str:
    """The starter of ``exercise`` as committed at git revision ``rev``.

    Example: ``pristine_starter(course.exercise("demo"))`` is ``exercises/demo/demo.py`` at HEAD.
    Raises ``StarterError`` naming the file and the reason when git cannot give it.
    """
    proc = _show(exercise, rev)
    if proc.returncode != 0:
        detail = proc.stderr.decode(errors="replace").strip().splitlines()
        raise StarterError(
            f"no starter for {exercise.path} at git revision {rev!r}: "
            f"{detail[-1] if detail else 'git show failed'}"
        )
    return proc.stdout.decode("utf-8")


def released_revision(exercise: Exercise) -> str | None:
    """The newest commit whose copy of the file is the starter that ``starters.sha256`` records.

    None without a record (the kit's own repository, where ``HEAD`` has the starter). Raises
    ``StarterError`` when there is a record but no commit holds that file.

    Example: in a student's copy with three commits of their own, the release's first commit.
    """
    record = exercise.root / checksums.STARTERS_FILE
    if not record.is_file():
        return None
    expected = checksums.parse(record.read_text(encoding="utf-8"), record).get(exercise.path)
    if expected is None:
        return None
    log = _git(exercise, "log", "--format=%H", "--", f"./{exercise.starter.name}")
    for rev in log.stdout.decode().split() if log.returncode == 0 else []:
        shown = _show(exercise, rev)
        if shown.returncode == 0 and hashlib.sha256(shown.stdout).hexdigest() == expected:
            return rev
    raise StarterError(
        f"no git commit holds {exercise.path} as it was released ({checksums.STARTERS_FILE}): "
        "name a revision that has the starter with --from REV"
    )


def next_backup(exercise: Exercise) -> Path:
    """The first free ``.course-backups/<slug>/<file>.<n>`` (n from 1) for the student's file.

    Example: ``.course-backups/demo/demo.py.1``, then ``.course-backups/demo/demo.py.2``.
    """
    folder = exercise.root / BACKUP_DIR / exercise.slug
    name = exercise.starter.name
    pattern = re.compile(rf"{re.escape(name)}\.(\d+)")
    taken = [int(m.group(1)) for p in folder.glob(f"{name}.*") if (m := pattern.fullmatch(p.name))]
    return folder / f"{name}.{max(taken, default=0) + 1}"


def restore(exercise: Exercise, starter: str) -> Path | None:
    """Back up the student's file (if there is one), then write ``starter`` in its place.

    Example: ``restore(ex, starter)`` returns ``.course-backups/demo/demo.py.1`` (None when the
    student's file did not exist). The backup is written before the file is touched, so a failure
    loses nothing.
    """
    backup = None
    if exercise.starter.is_file():
        backup = next_backup(exercise)
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(exercise.starter, backup)
    write_atomic(exercise.starter, starter)
    return backup


@dataclass(frozen=True)
class ResetPlan:
    """A reset about to happen: the starter found, the student's file as it is, where it would go."""

    course: Course
    exercise: Exercise
    rev: str
    starter: str
    current: str | None  # None: the student's file is missing

    @property
    def needed(self) -> bool:
        """False when the student's file already is the starter."""
        return self.current != self.starter

    def question(self) -> str:
        """The question asked before resetting.

        Example: ``Reset exercises/demo/demo.py to its starter (git HEAD); your version will be
        kept in .course-backups/demo/demo.py.1? [y/N] ``
        """
        keep = ""
        if self.current is not None:
            keep = (
                f"; your version will be kept in {next_backup(self.exercise).relative_to(self.course.root)}"
            )
        return f"Reset {self.exercise.path} to its starter (git {self.rev}){keep}? [y/N] "


def plan_reset(course: Course, exercise: Exercise, rev: str | None = None) -> ResetPlan:
    """Find the starter (at ``rev``, or as released, or at HEAD) and read the student's file.

    Changes nothing. Example: ``plan_reset(course, course.exercise("demo")).needed``. Raises
    ``StarterError``.
    """
    rev = rev or released_revision(exercise) or "HEAD"
    starter = pristine_starter(exercise, rev)
    current = exercise.starter.read_text(encoding="utf-8") if exercise.starter.is_file() else None
    return ResetPlan(course, exercise, rev, starter, current)


def apply_reset(plan: ResetPlan) -> str:
    """Back up, restore the starter, mark the exercise not done; return what to tell the student.

    Example: ``Restored exercises/demo/demo.py from git HEAD; your version is in
    .course-backups/demo/demo.py.1.``
    """
    saved = restore(plan.exercise, plan.starter)
    progress = Progress.load(state_path(plan.course))
    progress.done[plan.exercise.slug] = False  # the starter fails its tests by design
    progress.save()
    where = f"; your version is in {saved.relative_to(plan.course.root)}" if saved else ""
    return f"Restored {plan.exercise.path} from git {plan.rev}{where}."
