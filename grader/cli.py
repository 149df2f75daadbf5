"""The ``course`` command: a thin layer over the library, one function per subcommand.

    course list                         exercises in order with their status
    course check [SLUG...]              run your public tests, see progress, the next step and a hint
    course hint SLUG                    the next hint for SLUG (concept, then API, then approach)
    course watch                        re-run the current exercise on every save; keys h n l r q
    course solution SLUG [--give-up]    the reference solution, once yours passes (or you give up)
    course reset SLUG [--yes] [--from REV]  put the starter back, keeping your file as a backup
    course verify [--repeat N] [SLUG...]  maintainers: graders reject the wrong and accept the right
    course grade SUBMISSION... --out DIR [--jobs N] [--force]   instructors: grade submissions
    course release OUT                  instructors: write the repository students clone
    course gradescope OUT.zip [--only SLUG...]   instructors: the Gradescope autograder bundle
    course nbgrader OUT [--only SLUG...]   instructors: the course as an nbgrader course directory

Every command finds course.yml in the current directory or above it (``--course`` to name one).
A malformed course.yml is reported with its file, line and field, and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader import check as check_mod
from grader import checksums, formats, gradescope
from grader import reset as reset_mod
from grader import solution as solution_mod
from grader.files import write_atomic
from grader.formats import FORMATS
from grader.grading import EXECUTORS, grade_batch
from grader.manifest import Course, ManifestError, find_course_file, load_course
from grader.nbgrader_course import NbgraderError, write_nbgrader_course
from grader.progress import Progress
from grader.release import ReleaseError, release
from grader.results import SubmissionResult
from grader.verify import TargetVerdict, render_summary, render_verdict, verify
from grader.watch import watch

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
    for warning in checksums.warnings(course.root):
        print(warning)
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


def cmd_watch(args: argparse.Namespace) -> int:
    """Re-run the current exercise (the first not done) on every save of its file; answer keys.

    Example: ``course watch``, then edit and save the file it names. Type a key and Enter:
    ``h`` the next hint, ``n`` the next exercise not done, ``l`` the list, ``r`` run again,
    ``q`` quit (so does the end of input, Ctrl-D).
    """
    course = _load(args, check_files=False)
    return watch(course, sys.stdin, sys.stdout)


def cmd_solution(args: argparse.Namespace) -> int:
    """Show an exercise's reference solution once your own passes its public tests.

    Example: ``course solution fix_blocking``. Before it passes, only with ``--give-up``, which is
    recorded in your progress file (``.course-state.json``). Exit status 1 when it is not shown.
    """
    course = _load(args, check_files=False)
    outcome = solution_mod.request_solution(course, course.exercise(args.slug), give_up=args.give_up)
    if outcome.decision == "absent":
        sys.stderr.write(f"course solution: {outcome.text}")
    else:
        sys.stdout.write(outcome.text)
    return 0 if outcome.shown else 1


def cmd_reset(args: argparse.Namespace) -> int:
    """Put an exercise's starter back (from git), keeping your file in ``.course-backups/``.

    Example: ``course reset fix_blocking`` (asks first; ``--yes`` does not). The starter comes
    from git: in a student repository, the newest commit that has the file as released (its
    checksum is in ``starters.sha256``), whatever you committed since; in the kit's repository,
    ``HEAD``; ``--from REV`` names a revision. Exit status 1 when you answer no, 2 when no starter
    is found.
    """
    course = _load(args, check_files=False)
    try:
        plan = reset_mod.plan_reset(course, course.exercise(args.slug), args.rev)
    except reset_mod.StarterError as exc:
        print(f"course reset: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not plan.needed:
        print(f"{plan.exercise.path} is the same as at git {plan.rev}: nothing to reset.")
        if args.rev is None and plan.rev == "HEAD":  # no release record: the kit's own repository
            print("If you committed your work, name the commit that has the starter: --from REV.")
        return 0
    if not args.yes and not _confirm(plan.question()):
        print("Nothing changed.")
        return 1
    print(reset_mod.apply_reset(plan))
    return 0


def _confirm(question: str) -> bool:
    try:
        answer = input(question)
    except EOFError:  # no one to answer: the safe side is no
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


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
    """Grade submissions with the public and hidden tests: sandboxed, in parallel, resumable.

    Example: ``course grade downloads/ --out grades --jobs 4``. SUBMISSION is a copy of a
    student's repository, a ``.zip`` of one, or a folder of those (each named after its student).
    Writes ``grades/gradebook.csv``, ``grades/results/<student>.json``,
    ``grades/feedback/<student>.md``, ``grades/report.html`` and the journal that makes a re-run
    skip what is already graded (``--force`` to grade again). ``--format gradescope|exercism|junit``
    also writes that platform's file for a single submission. Exit status 0 whenever grading ran,
    whatever the scores.
    """
    course = _load(args)
    if args.only:
        course.select(args.only)  # an unknown slug fails here, before any work
    sources = [Path(p) for p in args.submissions]
    out = Path(args.out)

    def show(res: SubmissionResult) -> None:
        if args.verbose:
            print(f"{res.student}: {res.total:g}/{res.max_total:g}", flush=True)

    try:
        summary = grade_batch(
            course,
            sources,
            out,
            only=args.only,
            jobs=args.jobs,
            executor=args.executor,
            scheduler=args.scheduler,
            sandbox=not args.no_sandbox,
            force=args.force,
            quiet=args.quiet,
            on_done=show,
        )
    except RuntimeError as exc:
        print(f"course grade: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for problem in summary.problems:
        print(f"course grade: {problem}", file=sys.stderr)
    if not summary.results:
        print("course grade: no submission to grade", file=sys.stderr)
        return EXIT_USAGE
    if args.format:
        if len(summary.results) != 1:
            print(f"course grade: --format {args.format} needs exactly one submission", file=sys.stderr)
            return EXIT_USAGE
        write_atomic(out / FORMATS[args.format], formats.render(args.format, summary.results[0]))
    if not args.quiet:
        print(
            f"graded {summary.graded}, skipped {summary.skipped} (already graded), "
            f"{len(summary.problems)} input problem(s); report: {out / 'report.html'}"
        )
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    """Write the repository students clone: exercises, public tests, the kit, no secrets.

    Example: ``course release ../student-repo``. OUT must be new or empty. Leaves out
    ``solutions/`` (reference solutions, hidden graders, variants) and the kit's own tests, and
    fails (exit status 1, nothing written) if a solution's code or a hidden test's name would
    still reach students. The release has a ``make check``, a GitHub Classroom workflow
    (``.github/workflows/classroom.yml``) and ``public-tests.sha256``.
    """
    course = _load(args)
    try:
        files = release(course, Path(args.out))
    except ReleaseError as exc:
        print(f"course release: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(files)} files to {args.out}; no solution code or hidden test name found in them")
    return 0


def cmd_gradescope(args: argparse.Namespace) -> int:
    """Build the Gradescope autograder bundle: setup.sh, run_autograder, the kit and the graders.

    Example: ``course gradescope autograder.zip --only fix_blocking``. Upload the zip as a
    Gradescope programming assignment's autograder (Ubuntu 24.04 base image); each submission
    (the student's repository or the exercise files themselves) gets the course's points, public
    tests visible at once and hidden ones ``after_published``. The bundle holds no reference
    solution and no wrong or correct variant.
    """
    course = _load(args, check_files=False)
    if Path(args.out).is_dir():
        print(f"course gradescope: {args.out} is a directory; name the zip to write", file=sys.stderr)
        return EXIT_USAGE
    try:
        members = gradescope.write_bundle(course, Path(args.out), only=args.only)
    except FileNotFoundError as exc:  # the kit installed without its pyproject.toml beside it
        print(f"course gradescope: {exc}", file=sys.stderr)
        return EXIT_USAGE
    slugs = [ex.slug for ex in course.select(args.only)]
    print(f"wrote {args.out}: {len(members)} files, grading {', '.join(slugs)}")
    return 0


def cmd_nbgrader(args: argparse.Namespace) -> int:
    """Write the course as an nbgrader course directory: one assignment per module.

    Example: ``course nbgrader ../nbgrader-course``, then in it ``nbgrader generate_assignment
    asyncio_basics`` and, once submissions are collected, ``nbgrader autograde asyncio_basics
    --create``. Each ``source/<module>/<exercise>.ipynb`` holds the README, the starter in an
    autograded-answer cell, one autograded-test cell per public test and the hidden tests between
    ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``, for the points of course.yml. The
    notebooks need the kit installed in their kernel (``grader.notebook``).
    """
    course = _load(args)
    try:
        files = write_nbgrader_course(course, Path(args.out), only=args.only)
    except NbgraderError as exc:
        print(f"course nbgrader: {exc}", file=sys.stderr)
        return 1
    notebooks = [f for f in files if f.endswith(".ipynb")]
    print(f"wrote {args.out}: nbgrader_config.py and {len(notebooks)} notebooks in source/")
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
        "watch", help="re-run the current exercise on every save", description=cmd_watch.__doc__
    )
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser(
        "solution", help="the reference solution, once yours passes", description=cmd_solution.__doc__
    )
    p.add_argument("slug", metavar="SLUG")
    p.add_argument(
        "--give-up", action="store_true", help="show it before yours passes (recorded in your progress)"
    )
    p.set_defaults(func=cmd_solution)

    p = sub.add_parser("reset", help="put an exercise's starter back", description=cmd_reset.__doc__)
    p.add_argument("slug", metavar="SLUG")
    p.add_argument("--yes", action="store_true", help="do not ask first")
    p.add_argument(
        "--from",
        dest="rev",
        default=None,
        metavar="REV",
        help="git revision with the starter (default: the release's, else HEAD)",
    )
    p.set_defaults(func=cmd_reset)

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
    p.add_argument("--jobs", type=_positive_int, default=None, help="submissions at once (default: CPUs)")
    p.add_argument("--executor", choices=EXECUTORS, default="process", help="process (default) or dask")
    p.add_argument("--scheduler", metavar="ADDRESS", help="dask scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--force", action="store_true", help="grade again what the journal says is done")
    p.add_argument("--format", choices=sorted(FORMATS), help="also write this platform's result file")
    p.add_argument(
        "--no-sandbox", action="store_true", help="no namespaces, uid or limits (trusted code, benchmarks)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar, print nothing but errors")
    p.add_argument("--verbose", action="store_true", help="print each student's score as it is known")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser(
        "release", help="instructors: write the student repository", description=cmd_release.__doc__
    )
    p.add_argument("out", metavar="OUT", help="a new or empty folder")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser(
        "gradescope", help="instructors: the Gradescope autograder zip", description=cmd_gradescope.__doc__
    )
    p.add_argument("out", metavar="OUT.zip", help="the bundle to write")
    p.add_argument("--only", nargs="+", metavar="SLUG", help="grade only these exercises (default: all)")
    p.set_defaults(func=cmd_gradescope)

    p = sub.add_parser(
        "nbgrader", help="instructors: the nbgrader course directory", description=cmd_nbgrader.__doc__
    )
    p.add_argument("out", metavar="OUT", help="a new or empty folder")
    p.add_argument("--only", nargs="+", metavar="SLUG", help="only these exercises (default: all)")
    p.set_defaults(func=cmd_nbgrader)
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
