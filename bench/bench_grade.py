"""Batch grading speed: submissions per second with --jobs 1 and 2, and the sandbox's overhead.

Builds N submissions of the full course (a mix: all reference solutions, all starters, correct
variants, wrong variants), then grades them three times from scratch:

    sandbox, --jobs 1     sandbox, --jobs 2     no sandbox, --jobs 2

and prints submissions per second for each, the sandbox's overhead (sandboxed time over plain
time, same jobs), and checks that the sandboxed and plain gradebooks agree.

    python bench/bench_grade.py                  # 200 submissions, as the issue asks
    python bench/bench_grade.py --submissions 20 # a quick look
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.grading import grade_batch  # noqa: E402
from grader.manifest import load_course  # noqa: E402


def build_submissions(course, base: Path, n: int) -> list[Path]:
    """``n`` submission folders; the i-th takes, per exercise, one of four kinds of file."""
    subs = []
    for i in range(n):
        sub = base / f"student{i:03d}"
        for ex in course.exercises:
            kinds = [ex.solution, ex.starter, *ex.correct_variants()[:1], *ex.wrong_variants()[:1]]
            source = kinds[(i + len(ex.slug)) % len(kinds)]
            target = sub / ex.path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        subs.append(sub)
    return subs


def timed(course, subs_dir: Path, out: Path, *, jobs: int, sandbox: bool) -> float:
    start = time.perf_counter()
    summary = grade_batch(course, [subs_dir], out, jobs=jobs, sandbox=sandbox, force=True, quiet=True)
    elapsed = time.perf_counter() - start
    assert summary.graded == len(summary.results), "every submission graded"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=200)
    args = parser.parse_args()
    course = load_course(ROOT / "course.yml")
    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        base = Path(tmp)
        subs_dir = base / "subs"
        build_submissions(course, subs_dir, args.submissions)
        n = args.submissions
        print(f"{n} submissions x {len(course.exercises)} exercises", flush=True)
        runs = {}
        for label, jobs, sandbox in [
            ("sandbox --jobs 1", 1, True),
            ("sandbox --jobs 2", 2, True),
            ("no sandbox --jobs 2", 2, False),
        ]:
            runs[label] = t = timed(
                course, subs_dir, base / label.replace(" ", "_"), jobs=jobs, sandbox=sandbox
            )
            print(f"{label:22} {t:8.1f} s   {n / t:6.2f} submissions/s", flush=True)
        same = (base / "sandbox_--jobs_2/gradebook.csv").read_text() == (
            base / "no_sandbox_--jobs_2/gradebook.csv"
        ).read_text()
        overhead = runs["sandbox --jobs 2"] / runs["no sandbox --jobs 2"] - 1
        print(
            f"speed-up of --jobs 2 over --jobs 1: {runs['sandbox --jobs 1'] / runs['sandbox --jobs 2']:.2f}x"
        )
        print(f"sandbox overhead (--jobs 2): {overhead:+.1%}; gradebooks identical: {same}")


if __name__ == "__main__":
    main()
