"""The ``course`` command: a thin layer over the library, one function per subcommand.

    course list                         exercises in order with their status
    course check [SLUG...]              run your public tests, see progress, the next step and a hint
    course hint SLUG                    the next hint for SLUG (concept, then API, then approach)
    course verify [--repeat N] [SLUG...]  maintainers: graders reject the wrong and accept the right
    course grade SUBMISSION... --out DIR [--only SLUG...]   instructors: grade submissions

Every command finds course.yml in the current directory or above it (``--course`` to name one).
A malformed course.yml is reported with its file, line and field, and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader import check as check_mod
from grader.grading import SubmissionResult, find_submissions, grade_submissions
from grader.manifest import Course, ManifestError, find_course_file, load_course
from grader.progress import Progress
from grader.verify import TargetVerdict, render_summary, render_verdict, verify

EXIT_USAGE = 2


def _find_course(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    found = find_course_file(Path.cwd())
    if found is not None:
        return found
    raise ManifestError("course.yml", None, "", "not found here or in any parent directory")


def _load(args: argparse.Namespace, *, check_files: bool = True) -> Course:
    return load_course(_find_course(args.course), check_files=check_files)


def cmd_list(args: argparse.Namespace) -> int:
    """List the exercises in course order with their status.

    Example: ``course list``
    """
    course = _load(args, check_files=False)
    progress = Progress.load(check_mod.state_path(course))
    sys.stdout.write(check_mod.render_list(course, progress))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Run the public tests of your exercises in course order and show what to do next.

    Example: ``course check`` or ``course check fix_blocking``. Exit status 0 when every exercise
    checked passes, 1 otherwise.
    """
    course = _load(args, check_files=False)
    exercises = course.select(args.slugs)
    progress = Progress.load(check_mod.state_path(course))
    results = check_mod.check_exercises(course, exercises, jobs=args.jobs)
    check_mod.record(progress, results)
    nxt = next((ex for ex in course.exercises if not progress.done.get(ex.slug)), None)
    if nxt is not None and progress.hint_level(nxt.slug) == 0:
        progress.hints_shown[nxt.slug] = 1  # the first hint comes with the first failure
    progress.save()
    sys.stdout.write(check_mod.render_check(course, {r.slug: r for r in results}, progress))
    return 0 if all(r.passed for r in results) else 1


def cmd_hint(args: argparse.Namespace) -> int:
    """Show the next hint for an exercise; each call goes one level deeper.

    Example: ``course hint fix_blocking``
    """
    course = _load(args, check_files=False)
    exercise = course.exercise(args.slug)
    progress = Progress.load(check_mod.state_path(course))
    level = progress.next_hint(exercise.slug, len(exercise.hints))
    progress.save()
    sys.stdout.write(check_mod.render_hint(exercise, level))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Check that every starter fails, every solution and correct variant passes, every wrong
    variant is rejected, identically in every repeat.

    Example: ``course verify --repeat 20 fix_blocking``. Exit status 1 on any miss.
    """
    # Only the exercises verified must have all their files: one exercise being written must
    # not stop the others from being verified.
    course = _load(args, check_files=False)
    exercises = course.select(args.slugs)
    current: list[str] = []

    def show(verdict: TargetVerdict) -> None:
        slug = verdict.target.exercise.slug
        if current != [slug]:
            current[:] = [slug]
            print(slug, flush=True)
        print(render_verdict(verdict), flush=True)

    verdicts, structure = verify(course, exercises, repeat=args.repeat, jobs=args.jobs, on_done=show)
    for slug, problems in structure.items():
        for problem in problems:
            print(f"  ! {slug}: {problem}")
    print(render_summary(verdicts, structure, args.repeat))
    ok = all(v.ok for v in verdicts) and not any(structure.values())
    return 0 if ok else 1


def cmd_grade(args: argparse.Namespace) -> int:
    """Grade submission directories with the public and hidden tests.

    Example: ``course grade submissions/* --out grades``. Writes ``grades/gradebook.csv`` and
    ``grades/results/<student>.json``. Exit status 0 whenever grading ran, whatever the scores.
    """
    course = _load(args)
    if args.only:
        course.select(args.only)  # an unknown slug fails here, before any work
    subs, problems = find_submissions([Path(p) for p in args.submissions])
    for problem in problems:
        print(f"course grade: {problem}", file=sys.stderr)
    if not subs:
        print("course grade: no submission directory to grade", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out)

    def show(res: SubmissionResult) -> None:
        if not args.quiet:
            print(f"{res.student}: {res.total:g}/{res.max_total:g}", flush=True)

    grade_submissions(course, subs, out, only=args.only, on_done=show)
    if not args.quiet:
        print(f"gradebook: {out / 'gradebook.csv'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``course`` (exposed so the docs test can walk it)."""
    parser = argparse.ArgumentParser(
        prog="course",
        description="The asyncio course kit: exercises, hints, grading.",
    )
    parser.add_argument("--course", metavar="FILE", help="course.yml to use (default: found upward)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("list", help="exercises in order with their status", description=cmd_list.__doc__)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "check", help="run your public tests; progress, next exercise, hint", description=cmd_check.__doc__
    )
    p.add_argument("slugs", nargs="*", metavar="SLUG")
    p.add_argument("--jobs", type=int, default=None, help="exercises checked at once (default: CPUs)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("hint", help="the next hint for an exercise", description=cmd_hint.__doc__)
    p.add_argument("slug", metavar="SLUG")
    p.set_defaults(func=cmd_hint)

    p = sub.add_parser(
        "verify", help="maintainers: check starters, solutions and variants", description=cmd_verify.__doc__
    )
    p.add_argument("slugs", nargs="*", metavar="SLUG")
    p.add_argument("--repeat", type=_positive_int, default=1, help="runs per target (default 1)")
    p.add_argument("--jobs", type=_positive_int, default=None, help="runs at once (default: CPUs)")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser(
        "grade", help="instructors: grade submission directories", description=cmd_grade.__doc__
    )
    p.add_argument("submissions", nargs="+", metavar="SUBMISSION")
    p.add_argument("--out", required=True, metavar="DIR", help="where the gradebook goes")
    p.add_argument("--only", nargs="+", metavar="SLUG", help="grade only these exercises")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.set_defaults(func=cmd_grade)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``course`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ManifestError as exc:
        print(f"course: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyError as exc:
        print(f"course: {exc.args[0]}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
