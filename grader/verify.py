"""``course verify``: the maintainer's proof that the graders grade right, every time.

For every exercise it runs the public and hidden tests against:

- the starter: it must fail at least one hidden test;
- the reference solution: every test passes, and the points add up to course.yml's ``points``;
- every known-wrong variant: rejected (not full points), by each test its ``Caught by:`` line names;
- every known-correct variant: full points.

With ``--repeat N`` each of those runs N times and the per-test verdicts must be identical every
time; anything else is reported as flaky. Judging is pure (``judge``), running is at the edge.

Example::

    $ course verify --repeat 3 fix_blocking
    fix_blocking
      ✓ starter          rejected  2/10  (x3)
      ✓ solution         accepted 10/10  (x3)
      ✓ wrong/sequential_awaits.py   rejected 4/10 by test_fetch_all_overlaps  (x3)
      ...
    verify: 11 targets x 3 runs, all as expected
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from grader.manifest import Course, Exercise
from grader.results import ExerciseResult
from grader.runner import run_exercise

MIN_WRONG = 5
MIN_CORRECT = 3


@dataclass(frozen=True)
class Target:
    """One file to grade and what must come of it."""

    exercise: Exercise
    kind: str  # starter | solution | wrong | correct
    path: Path
    caught_by: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.kind in ("starter", "solution"):
            return self.kind
        return f"{self.kind}/{self.path.name}"


@dataclass
class TargetVerdict:
    """The judgement of one target over all its runs."""

    target: Target
    runs: list[ExerciseResult]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def caught_by(path: Path) -> tuple[str, ...]:
    """The test names on the ``Caught by:`` line of a variant's docstring."""
    try:
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    except SyntaxError:
        return ()
    for line in doc.splitlines():
        if line.strip().lower().startswith("caught by:"):
            names = line.split(":", 1)[1]
            return tuple(n.strip() for n in names.split(",") if n.strip())
    return ()


def targets_for(exercise: Exercise) -> list[Target]:
    """Starter, solution, wrong and correct variants of one exercise."""
    targets = [
        Target(exercise, "starter", exercise.starter),
        Target(exercise, "solution", exercise.solution),
    ]
    targets += [Target(exercise, "wrong", p, caught_by(p)) for p in exercise.wrong_variants()]
    targets += [Target(exercise, "correct", p) for p in exercise.correct_variants()]
    return targets


def structure_problems(exercise: Exercise) -> list[str]:
    """What is missing from the exercise's checklist before anything runs."""
    problems = []
    root = exercise.root
    for label, path in (("starter", exercise.starter), ("reference solution", exercise.solution)):
        if not path.is_file():
            problems.append(f"no {label} at {path.relative_to(root)}")
    if not exercise.public_tests():
        problems.append(f"no public tests (test_*.py) beside {exercise.path}")
    if not exercise.hidden_tests():
        problems.append("no hidden grader (solutions/<dir>/hidden/test_*.py)")
    if len(exercise.wrong_variants()) < MIN_WRONG:
        problems.append(f"{len(exercise.wrong_variants())} wrong variants; at least {MIN_WRONG} needed")
    if len(exercise.correct_variants()) < MIN_CORRECT:
        problems.append(f"{len(exercise.correct_variants())} correct variants; at least {MIN_CORRECT} needed")
    for path in exercise.wrong_variants():
        if not caught_by(path):
            problems.append(f"wrong/{path.name} has no 'Caught by:' line in its docstring")
    # 'Caught by:' names tests by their function name: one name in both the public and the hidden
    # tests would let a failure of either satisfy it.
    public = _test_names(exercise.public_tests())
    for name in sorted(public & _test_names(exercise.hidden_tests())):
        problems.append(
            f"{name} is the name of a public and of a hidden test: 'Caught by:' could not "
            f"tell them apart; rename one"
        )
    return problems


def _test_names(paths: list[Path]) -> set[str]:
    names: set[str] = set()
    for path in paths:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        names |= {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
        }
    return names


def _signature(result: ExerciseResult) -> tuple[tuple[str, str], ...]:
    return tuple((t.nodeid, t.status) for t in result.tests)


def judge(target: Target, runs: list[ExerciseResult]) -> list[str]:
    """Everything wrong with how ``target`` was graded in ``runs`` (empty when all is as it must be)."""
    problems: list[str] = []
    first = runs[0]
    signatures = {_signature(r) for r in runs}
    if len(signatures) > 1:
        flaky = sorted(
            {
                nodeid.rsplit("::", 1)[-1]
                for sig in signatures
                for nodeid, status in sig
                if any(dict(other).get(nodeid) != status for other in signatures)
            }
        )
        problems.append(f"flaky: verdicts differ between runs for {', '.join(flaky)}")
    full = first.score == first.max_score and first.status == "passed"
    failing = {t.name.split("[", 1)[0] for t in first.tests if t.status != "passed"}
    if target.kind in ("solution", "correct"):
        if not full:
            fails = (
                "; ".join(
                    f"{t.name}: {t.status}: {t.message.splitlines()[0] if t.message else ''}"
                    for t in first.tests
                    if t.status != "passed"
                )
                or first.message
            )
            problems.append(f"must pass with full points, got {first.score}/{first.max_score} ({fails})")
    elif target.kind == "starter":
        hidden_failed = [t for t in first.tests if t.visibility == "hidden" and t.status != "passed"]
        if not hidden_failed:
            problems.append("the starter must fail at least one hidden test, it failed none")
        public_failed = [t for t in first.tests if t.visibility == "visible" and t.status != "passed"]
        if not public_failed:
            # `make check` counts an exercise done when its public tests pass: a starter that
            # passes them all would show as done before the student has written a line.
            problems.append("the starter must fail at least one public test, it failed none")
    elif target.kind == "wrong":
        if full:
            problems.append("a known-wrong variant got full points")
        missed = [name for name in target.caught_by if name not in failing]
        if missed and not full:
            problems.append(f"should have been caught by {', '.join(missed)}, which passed")
    if target.kind == "solution" and first.max_score != target.exercise.points:
        problems.append(
            f"the tests' points add up to {first.max_score}, course.yml says {target.exercise.points}"
        )
    return problems


def verify(
    course: Course,
    exercises: list[Exercise],
    *,
    repeat: int = 1,
    jobs: int | None = None,
    on_done: Callable[[TargetVerdict], None] | None = None,
) -> tuple[list[TargetVerdict], dict[str, list[str]]]:
    """Run every target of ``exercises`` ``repeat`` times; return verdicts and structure problems."""
    structure = {ex.slug: structure_problems(ex) for ex in exercises}
    # An exercise missing its starter, solution or tests is reported, not run.
    runnable = [ex for ex in exercises if ex.starter.is_file() and ex.solution.is_file()]
    targets = [t for ex in runnable for t in targets_for(ex)]
    jobs = jobs or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {
            t: [
                pool.submit(run_exercise, course, t.exercise, student_file=t.path, hidden=True)
                for _ in range(repeat)
            ]
            for t in targets
        }
        verdicts = []
        for target, runs in futures.items():
            results = [f.result() for f in runs]
            verdict = TargetVerdict(target, results, judge(target, results))
            verdicts.append(verdict)
            if on_done is not None:
                on_done(verdict)
    return verdicts, structure


def render_verdict(v: TargetVerdict, width: int = 34) -> str:
    """One line (plus problems) for one target."""
    first = v.runs[0]
    mark = "✓" if v.ok else "✗"
    outcome = "accepted" if first.status == "passed" and first.score == first.max_score else "rejected"
    score = f"{first.score:g}/{first.max_score:g}"
    by = ""
    if v.target.kind in ("wrong", "starter") and outcome == "rejected":
        names = sorted({t.name.split("[", 1)[0] for t in first.tests if t.status != "passed"})
        by = f" by {', '.join(names[:4])}{', ...' if len(names) > 4 else ''}"
    line = f"  {mark} {v.target.label:<{width}} {outcome} {score:>6}{by}  (x{len(v.runs)})"
    return "\n".join([line, *(f"      ! {p}" for p in v.problems)])


def render_summary(verdicts: list[TargetVerdict], structure: dict[str, list[str]], repeat: int) -> str:
    """The closing line of ``course verify``."""
    bad = [v for v in verdicts if not v.ok]
    structural = sum(len(p) for p in structure.values())
    if not bad and not structural:
        head = f"verify: {len(verdicts)} targets x {repeat} run(s), all as expected"
    else:
        head = (
            f"verify: {len(verdicts)} targets x {repeat} run(s): {len(bad)} not as expected, "
            f"{structural} checklist problem(s)"
        )
    # The plain closing line CI tools read: one check per target, one per checklist problem.
    return f"{head}\nverify: {len(verdicts) - len(bad)} passed, {len(bad) + structural} failed"
