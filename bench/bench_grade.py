"""Batch grading speed: submissions per second with --jobs 1 and 2, and the sandbox's overhead.

Builds N submissions of the full course (a mix: all reference solutions, all starters, correct
variants, wrong variants), then grades them three times from scratch:

    sandbox, --jobs 1     sandbox, --jobs 2     no sandbox, --jobs 2

and prints submissions per second for each, the sandbox's overhead (sandboxed time over plain
time, same jobs), and checks that the sandboxed and plain gradebooks agree.

Two hundred submissions take hours (wrong submissions deadlock, and detecting a deadlock takes real
seconds), so the benchmark is resumable like ``course grade`` itself: with ``--out DIR`` each
configuration's time and gradebook are kept in DIR as soon as it finishes, and the same command run
again measures only what is missing, then prints every figure.

    python bench/bench_grade.py                      # 200 submissions, as the issue asks
    python bench/bench_grade.py --out bench-out      # the same, resumable
    python bench/bench_grade.py --submissions 20     # a quick look
    python bench/bench_grade.py --configs sandbox-2 plain-2   # only the overhead
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.grading import grade_batch  # noqa: E402
from grader.manifest import load_course  # noqa: E402


def build_submissions(course, base: Path, n: int, exercises=None) -> list[Path]:
    """``n`` submission folders; the i-th takes, per exercise, one of four kinds of file."""
    subs = []
    for i in range(n):
        sub = base / f"student{i:03d}"
        for ex in exercises or course.exercises:
            kinds = [ex.solution, ex.starter, *ex.correct_variants()[:1], *ex.wrong_variants()[:1]]
            source = kinds[(i + len(ex.slug)) % len(kinds)]
            target = sub / ex.path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        subs.append(sub)
    return subs


CONFIGS = {  # name: (label, jobs, sandbox)
    "sandbox-1": ("sandbox --jobs 1", 1, True),
    "sandbox-2": ("sandbox --jobs 2", 2, True),
    "plain-2": ("no sandbox --jobs 2", 2, False),
}


def timed(course, subs_dir: Path, out: Path, *, jobs: int, sandbox: bool) -> float:
    """Seconds to grade every submission in ``subs_dir`` from scratch into ``out``."""
    start = time.perf_counter()
    summary = grade_batch(course, [subs_dir], out, jobs=jobs, sandbox=sandbox, force=True, quiet=True)
    elapsed = time.perf_counter() - start
    assert summary.graded == len(summary.results), "every submission graded"
    return elapsed


def measure(course, base: Path, n: int, names: list[str]) -> dict[str, float]:
    """Seconds per configuration; those already recorded in ``base/figures.json`` are not re-run."""
    record = base / "figures.json"
    figures = json.loads(record.read_text()) if record.exists() else {}
    if figures.get("submissions", n) != n:
        raise SystemExit(f"{record} holds figures for {figures['submissions']} submissions, not {n}")
    subs_dir = base / "subs"
    if not (subs_dir / "done").exists():
        shutil.rmtree(subs_dir, ignore_errors=True)
        build_submissions(course, subs_dir, n)
        (subs_dir / "done").touch()
    for name in names:
        label, jobs, sandbox = CONFIGS[name]
        if name not in figures:
            seconds = timed(course, subs_dir, base / name, jobs=jobs, sandbox=sandbox)
            figures.update({"submissions": n, name: seconds})
            record.write_text(json.dumps(figures, indent=2) + "\n")  # kept before the next one starts
        print(f"{label:22} {figures[name]:8.1f} s   {n / figures[name]:6.3f} submissions/s", flush=True)
    return figures


def summary_lines(base: Path, figures: dict[str, float]) -> list[str]:
    """Speed-up and overhead, for the configurations that have been measured."""
    lines = []
    if "sandbox-1" in figures and "sandbox-2" in figures:
        speed_up = figures["sandbox-1"] / figures["sandbox-2"]
        lines.append(f"speed-up of --jobs 2 over --jobs 1: {speed_up:.2f}x")
    if "sandbox-2" in figures and "plain-2" in figures:
        books = [(base / name / "gradebook.csv").read_text() for name in ("sandbox-2", "plain-2")]
        overhead = figures["sandbox-2"] / figures["plain-2"] - 1
        same = books[0] == books[1]
        lines.append(f"sandbox overhead (--jobs 2): {overhead:+.1%}; gradebooks identical: {same}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--out", type=Path, help="keep figures here and resume from them")
    parser.add_argument("--configs", nargs="+", choices=list(CONFIGS), default=list(CONFIGS))
    args = parser.parse_args()
    course = load_course(ROOT / "course.yml")
    print(f"{args.submissions} submissions x {len(course.exercises)} exercises", flush=True)
    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        base = args.out or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        figures = measure(course, base, args.submissions, args.configs)
        for line in summary_lines(base, figures):
            print(line)


if __name__ == "__main__":
    main()
