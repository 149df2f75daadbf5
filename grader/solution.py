"""``course solution``: the reference solution, for a student whose own passes or who gave up.

The reference of an exercise is its ``path`` mirrored under ``solutions/`` (see grader/manifest.py).
A student release leaves ``solutions/`` out, so its absence is normal there and said plainly.
Deciding is a pure function (``decide``); ``request_solution`` gathers what it needs (the progress
file, a run of the public tests when that file does not say the exercise passes) and records a give-up.

Example::

    >>> decide(has_solution=True, passed=False, gave_up=False, give_up=False)
    'refuse'
    >>> decide(has_solution=True, passed=False, gave_up=False, give_up=True)
    'give_up'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from grader.check import check_exercises, record, state_path
from grader.manifest import Course, Exercise
from grader.progress import Progress

Decision = Literal["absent", "show", "give_up", "refuse"]

NO_SOLUTION = "no reference solution in this copy of the course"


def decide(*, has_solution: bool, passed: bool, gave_up: bool, give_up: bool) -> Decision:
    """What ``course solution`` does: ``absent`` (nothing to show in this copy), ``show`` (the
    student passed or gave up before), ``give_up`` (show, and record the give-up now) or ``refuse``.

    Example: ``decide(has_solution=True, passed=True, gave_up=False, give_up=False) == "show"``.
    """
    if not has_solution:
        return "absent"
    if passed or gave_up:
        return "show"
    return "give_up" if give_up else "refuse"


@dataclass(frozen=True)
class Outcome:
    """What ``course solution`` says: the decision, and the text (the solution when ``shown``)."""

    decision: Decision
    text: str

    @property
    def shown(self) -> bool:
        """Whether the text is the reference solution."""
        return self.decision in ("show", "give_up")


def _passes_now(course: Course, exercise: Exercise) -> bool:
    progress = Progress.load(state_path(course))
    results = check_exercises(course, [exercise], jobs=1)
    record(progress, results)
    progress.save()
    return results[0].passed


def request_solution(
    course: Course,
    exercise: Exercise,
    *,
    give_up: bool,
    passes_now: Callable[[Course, Exercise], bool] = _passes_now,
) -> Outcome:
    """Decide, record a give-up, and say it: the solution, a refusal, or that there is none here.

    Example: ``request_solution(course, course.exercise("demo"), give_up=False).text``. When the
    progress file does not say the exercise passes, its public tests are run first (the student
    may have fixed it since the last check), so a passing exercise is never refused.
    """
    progress = Progress.load(state_path(course))
    has_solution = exercise.solution.is_file()
    gave_up = progress.gave_up.get(exercise.slug, False)
    passed = progress.done.get(exercise.slug, False)
    if has_solution and not (passed or gave_up or give_up):
        passed = passes_now(course, exercise)
    decision = decide(has_solution=has_solution, passed=passed, gave_up=gave_up, give_up=give_up)
    if decision == "absent":
        return Outcome(decision, f"{NO_SOLUTION} ({exercise.slug})\n")
    if decision == "refuse":
        return Outcome(decision, render_refusal(exercise))
    if decision == "give_up":
        progress = Progress.load(state_path(course))
        progress.gave_up[exercise.slug] = True
        progress.save()
    return Outcome(decision, render_solution(exercise, exercise.solution.read_text(encoding="utf-8")))


def render_solution(exercise: Exercise, source: str) -> str:
    """The reference solution with a header naming where it lives.

    Example: ``render_solution(ex, "async def f(): ...")`` starts with
    ``Reference solution for demo (solutions/demo/demo.py):``.
    """
    where = exercise.solution.relative_to(exercise.root).as_posix()
    body = source if source.endswith("\n") else source + "\n"
    return f"Reference solution for {exercise.slug} ({where}):\n\n{body}"


def render_refusal(exercise: Exercise) -> str:
    """Why the solution is not shown yet, and the two ways to get it.

    Example: ``render_refusal(ex)`` mentions ``course check demo`` and ``--give-up``.
    """
    return (
        f"{exercise.slug} does not pass its public tests yet, so its reference solution stays hidden.\n"
        f"  Make it pass (course check {exercise.slug}, course hint {exercise.slug}), or give up with\n"
        f"  course solution {exercise.slug} --give-up   (recorded in your progress file)\n"
    )
