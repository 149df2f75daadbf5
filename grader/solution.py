"""``course solution``: the reference solution, for a student whose own passes or who gave up.

The reference of an exercise is its ``path`` mirrored under ``solutions/`` (see grader/manifest.py).
A student release leaves ``solutions/`` out, so its absence is normal there and said plainly.
Deciding is a pure function (``decide``); running the public tests and reading files are the CLI's.

Example::

    >>> decide(has_solution=True, passed=False, gave_up=False, give_up=False)
    'refuse'
    >>> decide(has_solution=True, passed=False, gave_up=False, give_up=True)
    'give_up'
"""

from __future__ import annotations

from typing import Literal

from grader.manifest import Exercise

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
