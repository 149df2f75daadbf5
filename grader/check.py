"""``course check``: the student loop. Public tests in course order, progress, the next step, a hint.

Running is separate from saying: ``check_exercises`` runs and records, ``render_check`` turns the
results into the text a student reads (a pure function, pinned by golden tests).

Example output::

    fix_blocking     ✗  Fixing blocking coroutines       1/3 tests
    async_iterator   ✗  Implementing async iterators     0/4 tests
    ...
    0/3 done

    Next: fix_blocking, Fixing blocking coroutines
      edit exercises/fix_blocking/fix_blocking.py, read exercises/fix_blocking/README.md
      ✗ test_fetch_returns_the_body
        your code blocked the event loop for 1.0 s at fix_blocking.py:12 (`time.sleep(latency)`) ...
    Hint 1/3: An event loop runs one coroutine at a time ...
"""

from __future__ import annotations

import os
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader.manifest import Course, Exercise
from grader.progress import STATE_FILE, Progress
from grader.results import ExerciseResult
from grader.runner import run_exercise

WIDTH = 100


def run_public(course: Course, exercise: Exercise) -> ExerciseResult:
    """The public tests of ``exercise`` against the student's file (``course check``, ``course watch``).

    Example: ``run_public(course, course.exercise("demo")).passed``
    """
    return run_exercise(course, exercise, submission=course.root, hidden=False)


def check_exercises(
    course: Course, exercises: list[Exercise], *, jobs: int | None = None
) -> list[ExerciseResult]:
    """Run the public tests of ``exercises`` against the student's files (in parallel, in order)."""
    jobs = jobs or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_public, course, ex) for ex in exercises]
        return [f.result() for f in futures]


def next_exercise(course: Course, progress: Progress, after: str | None = None) -> Exercise | None:
    """The first exercise not done in course order (``course check``'s "Next:"); with ``after``, the
    first not done after that one, wrapping round to the start. None when every exercise is done.

    Example: ``next_exercise(course, progress, after="demo")`` is what ``course watch``'s key n opens.
    """
    order = list(course.exercises)
    if after is not None:
        i = next(i for i, ex in enumerate(order) if ex.slug == after)
        order = order[i + 1 :] + order[: i + 1]
    return next((ex for ex in order if not progress.done.get(ex.slug)), None)


def record(progress: Progress, results: list[ExerciseResult]) -> None:
    """Store which exercises pass now."""
    for res in results:
        progress.done[res.slug] = res.passed


def _mark(res: ExerciseResult | None, done: bool) -> str:
    if res is None:
        return "✓" if done else "·"
    return "✓" if res.passed else "✗"


def _tests_summary(res: ExerciseResult | None) -> str:
    if res is None:
        return "not run"
    if res.status in ("missing", "error"):
        return res.status
    passed = sum(1 for t in res.tests if t.status == "passed")
    return f"{passed}/{len(res.tests)} tests"


def _indent(text: str, prefix: str) -> str:
    lines = []
    for para in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(para, WIDTH - len(prefix)) or [""])
    return "\n".join(prefix + line for line in lines)


def render_check(course: Course, results: dict[str, ExerciseResult], progress: Progress) -> str:
    """The text ``course check`` prints: one line per exercise, progress, the next exercise."""
    lines = []
    slug_w = max(len(ex.slug) for ex in course.exercises)
    title_w = max(len(ex.title) for ex in course.exercises)
    for ex in course.exercises:
        res = results.get(ex.slug)
        done = progress.done.get(ex.slug, False)
        lines.append(
            f"  {ex.slug:<{slug_w}}  {_mark(res, done)}  {ex.title:<{title_w}}  {_tests_summary(res)}"
        )
    finished = sum(1 for ex in course.exercises if progress.done.get(ex.slug))
    lines += ["", f"{finished}/{len(course.exercises)} done"]
    nxt = next_exercise(course, progress)
    if nxt is None:
        lines += ["", "Every exercise passes its public tests. Well done!"]
        return "\n".join(lines) + "\n"
    lines += ["", f"Next: {nxt.slug}, {nxt.title}"]
    readme = nxt.exercise_dir / "README.md"
    where = f"  edit {nxt.path}"
    if readme.is_file():
        where += f", read {readme.relative_to(course.root).as_posix()}"
    lines.append(where)
    res = results.get(nxt.slug)
    if res is not None:
        lines += _explain(res)
    level = max(progress.hint_level(nxt.slug), 1)
    lines += ["", _indent(f"Hint {level}/{len(nxt.hints)}: {nxt.hints[level - 1]}", "")]
    if level < len(nxt.hints):
        lines.append(f"  (next hint: course hint {nxt.slug})")
    return "\n".join(lines) + "\n"


def render_result(exercise: Exercise, res: ExerciseResult) -> str:
    """One exercise's result: its line of ``course check``, then its first failure explained.

    Example: ``  demo  ✗  Demo exercise  1/2 tests`` followed by ``  ✗ test_concurrent (failed)``
    and the test's message.
    """
    lines = [f"  {exercise.slug}  {_mark(res, res.passed)}  {exercise.title}  {_tests_summary(res)}"]
    lines += _explain(res)
    return "\n".join(lines) + "\n"


def _explain(res: ExerciseResult) -> list[str]:
    if res.status in ("missing", "error") and res.message:
        return [_indent(res.message, "  ✗ ")]
    failure = res.first_failure()
    if failure is None:
        return []
    label = {"timeout": "timed out", "error": "error"}.get(failure.status, "failed")
    out = [f"  ✗ {failure.name} ({label})"]
    if failure.message:
        out.append(_indent(failure.message, "    "))
    return out


def render_hint(exercise: Exercise, level: int) -> str:
    """``Hint 2/3 for fix_blocking: ...``, and whether more remain."""
    hint = _indent(exercise.hints[level - 1], "  ")
    text = f"Hint {level}/{len(exercise.hints)} for {exercise.slug}:\n{hint}\n"
    if level == len(exercise.hints):
        text += "  (that was the last hint: the README and the failing test's message say the rest)\n"
    return text


def render_list(course: Course, progress: Progress) -> str:
    """``course list``: every exercise in order with its module, status and hints seen."""
    lines = []
    slug_w = max(len(ex.slug) for ex in course.exercises)
    for module in course.modules:
        members = [ex for ex in course.exercises if ex.module == module.slug]
        if not members:
            continue
        lines.append(f"{module.title}")
        for ex in members:
            status = "done" if progress.done.get(ex.slug) else "pending"
            hints = progress.hint_level(ex.slug)
            extra = f", {hints}/{len(ex.hints)} hints" if hints else ""
            if progress.gave_up.get(ex.slug):
                extra += ", gave up (solution shown)"
            lines.append(f"  {ex.slug:<{slug_w}}  {status:<7}  {ex.points:>3} pts  {ex.title}{extra}")
    return "\n".join(lines) + "\n"


def state_path(course: Course) -> Path:
    """Where the student's progress is kept."""
    return course.root / STATE_FILE
