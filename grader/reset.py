"""``course reset``: put an exercise's starter back, keeping the student's version as a backup.

Where the pristine starter comes from: git. The kit's repository and every student copy of it
(a clone of the release, a GitHub Classroom repository) are git repositories in which the starters
were committed as shipped, so the starter is the file as committed at a revision: ``HEAD`` by
default, which is the starter in the kit's repository and in a student copy where the student has
not committed their work; a student who has committed names the revision that has the starter
(``--from REV``, e.g. the first commit: ``git rev-list --max-parents=0 HEAD``). Nothing else is
trusted: the working file is the student's, and a copy kept by the kit could be edited just as well.

Backups go to ``.course-backups/<slug>/<file>.<n>`` beside course.yml (git-ignored), numbered so
that no reset ever overwrites an earlier backup.

Example::

    >>> plan = plan_reset(course, course.exercise("demo"))           # doctest: +SKIP
    >>> plan.needed, plan.question()                                 # doctest: +SKIP
    >>> apply_reset(plan)                                            # doctest: +SKIP
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from grader.check import state_path
from grader.files import write_atomic
from grader.manifest import Course, Exercise
from grader.progress import Progress

BACKUP_DIR = ".course-backups"


class StarterError(RuntimeError):
    """The pristine starter cannot be found (no git, not a repository, not at that revision)."""


def pristine_starter(exercise: Exercise, rev: str = "HEAD") -> str:
    """The starter of ``exercise`` as committed at git revision ``rev``.

    Example: ``pristine_starter(course.exercise("demo"))`` is ``exercises/demo/demo.py`` at HEAD.
    Raises ``StarterError`` naming the file and the reason when git cannot give it.
    """
    directory = exercise.starter.parent
    if not directory.is_dir():
        raise StarterError(f"{exercise.path}: its folder does not exist, so git cannot restore it")
    try:
        proc = subprocess.run(
            # "./name" is resolved against -C's directory, wherever the repository's top is.
            ["git", "-C", str(directory), "show", f"{rev}:./{exercise.starter.name}"],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except FileNotFoundError:
        raise StarterError(
            "git is not installed, and the starters are restored from git (install git)"
        ) from None
    if proc.returncode != 0:
        detail = proc.stderr.decode(errors="replace").strip().splitlines()
        raise StarterError(
            f"no starter for {exercise.path} at git revision {rev!r}: "
            f"{detail[-1] if detail else 'git show failed'}"
        )
    return proc.stdout.decode("utf-8")


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


def plan_reset(course: Course, exercise: Exercise, rev: str = "HEAD") -> ResetPlan:
    """Find the starter and read the student's file; changes nothing.

    Example: ``plan_reset(course, course.exercise("demo")).needed``. Raises ``StarterError``.
    """
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
