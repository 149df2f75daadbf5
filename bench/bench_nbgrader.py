"""nbgrader against course grade: the time each takes to grade the same 20 submissions.

Builds N submissions of one assignment (a module of course.yml; the same mix of references,
starters, correct and wrong variants as bench_grade.py), writes each as plain files for
``course grade`` and as notebooks for nbgrader (``course nbgrader``, ``nbgrader
generate_assignment``, the release notebooks with each answer cell filled in), then times

    nbgrader autograde ASSIGNMENT --create     (one notebook after another, a kernel for each)
    course grade --jobs 1                      (sandboxed)
    course grade --jobs 2                      (sandboxed)

and checks that nbgrader's scores equal course grade's, notebook by notebook.

    python bench/bench_nbgrader.py                          # 20 submissions of asyncio_basics
    python bench/bench_nbgrader.py --assignment cancellation --submissions 5
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_grade import build_submissions  # noqa: E402

from grader.grading import grade_batch  # noqa: E402
from grader.manifest import load_course  # noqa: E402
from grader.nbgrader_course import fill_answer, run_nbgrader, write_nbgrader_course  # noqa: E402


def notebook_submissions(course, exercises, assignment: str, subs_dir: Path, course_dir: Path) -> None:
    """``submitted/<student>/<assignment>/<exercise>.ipynb`` holding each plain submission's code."""
    for sub in sorted(p for p in subs_dir.iterdir() if p.is_dir()):
        for ex in exercises:
            released = json.loads((course_dir / f"release/{assignment}/{ex.slug}.ipynb").read_text())
            target = course_dir / f"submitted/{sub.name}/{assignment}/{ex.slug}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(fill_answer(released, (sub / ex.path).read_text())))


def nbgrader_scores(course_dir: Path, assignment: str) -> dict[tuple[str, str], float]:
    """(student, exercise) -> score, from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        return {
            (s.student.id, nb.name): nb.score
            for s in gb.assignment_submissions(assignment)
            for nb in s.notebooks
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--assignment", default="asyncio_basics", help="a module of course.yml")
    args = parser.parse_args()
    course = load_course(ROOT / "course.yml")
    exercises = [ex for ex in course.exercises if ex.module == args.assignment]
    slugs = [ex.slug for ex in exercises]
    if not exercises:
        raise SystemExit(f"no module {args.assignment!r} in course.yml")
    with tempfile.TemporaryDirectory(prefix="course-bench-nbgrader-") as tmp:
        base = Path(tmp)
        subs_dir = base / "subs"
        build_submissions(course, subs_dir, args.submissions, exercises=exercises)
        course_dir = base / "nbgrader-course"
        write_nbgrader_course(course, course_dir, only=slugs)
        run_nbgrader(course_dir, "generate_assignment", args.assignment, "--force")
        notebook_submissions(course, exercises, args.assignment, subs_dir, course_dir)
        n = args.submissions
        print(f"{n} submissions x {len(slugs)} exercises of {args.assignment}", flush=True)

        start = time.perf_counter()
        run_nbgrader(course_dir, "autograde", args.assignment, "--create")
        times = {"nbgrader autograde": time.perf_counter() - start}
        summaries = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            summaries[jobs] = grade_batch(
                course, [subs_dir], base / f"grades-{jobs}", only=slugs, jobs=jobs, force=True, quiet=True
            )
            times[f"course grade --jobs {jobs}"] = time.perf_counter() - start
        for label, seconds in times.items():
            print(f"{label:22} {seconds:8.1f} s   {n / seconds:6.3f} submissions/s", flush=True)

        theirs = nbgrader_scores(course_dir, args.assignment)
        ours = {(r.student, slug): e.score for r in summaries[1].results for slug, e in r.exercises.items()}
        differ = sorted(k for k in ours if theirs.get(k) != ours[k])
        print(f"nbgrader's scores equal course grade's: {not differ} ({len(ours)} notebooks)")
        for key in differ:
            print(f"  {key}: nbgrader {theirs.get(key)}, course grade {ours[key]}")


if __name__ == "__main__":
    main()
