"""Batch grading speed: submissions per second with --jobs 1 and 2, and the sandbox's overhead.

Builds N submissions of the full course (a mix: all reference solutions, all starters, correct
variants, wrong variants), then grades them three times from scratch:

    sandbox, --jobs 1     sandbox, --jobs 2     no sandbox, --jobs 2

and prints submissions per second for each, the sandbox's overhead (sandboxed time over plain
time, same jobs), and checks that the sandboxed and plain gradebooks agree.

Two hundred submissions take hours (wrong submissions deadlock, and detecting a deadlock takes real
seconds), so the benchmark is resumable like ``course grade`` itself. With ``--out DIR`` every
configuration keeps, each time a submission is graded, the seconds spent so far in
DIR/<config>/bench.json. If the benchmark is killed, the same command resumes each configuration
where ``course grade``'s journal left it, adding the new run's seconds to those recorded. The
submissions that were in flight at the kill are graded again; their time up to the last recorded
completion is counted twice, so a resumed figure overstates the time by at most one submission's
grading per interruption (the number of runs is printed). Configurations already finished are
not re-run.

    python bench/bench_grade.py                      # 200 submissions, as the issue asks
    python bench/bench_grade.py --out bench-out      # the same, resumable after a kill
    python bench/bench_grade.py --submissions 20     # a quick look
    python bench/bench_grade.py --configs sandbox-2 plain-2   # only the overhead
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.files import write_atomic  # noqa: E402
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


def _commit() -> str:
    """The kit's commit, so figures measured on different code are told apart."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def timed(course, subs_dir: Path, out: Path, *, n: int, jobs: int, sandbox: bool) -> dict:
    """Grade every submission in ``subs_dir`` into ``out``, resuming an interrupted run.

    Returns ``out/bench.json``'s record: ``seconds`` (summed over runs), ``runs``, ``commit`` and
    the 1-minute load average when each run started.
    """
    state_file = out / "bench.json"
    if state_file.exists():
        state = json.loads(state_file.read_text())
    else:  # nothing recorded: whatever is in out is not ours to resume
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        state = {"seconds": 0.0, "runs": 0, "commit": _commit(), "load": []}
    if state["commit"] != _commit():
        raise SystemExit(f"{out} was measured at {state['commit']}, not {_commit()}: remove it")
    state["runs"] += 1
    state["load"].append(round(os.getloadavg()[0], 2))
    before, start = state["seconds"], time.perf_counter()

    def checkpoint(_result=None) -> None:
        state["seconds"] = before + time.perf_counter() - start
        write_atomic(state_file, json.dumps(state, indent=2) + "\n")

    checkpoint()  # this run counts from here, even if it is killed before its first submission
    grade_batch(course, [subs_dir], out, jobs=jobs, sandbox=sandbox, quiet=True, on_done=checkpoint)
    checkpoint()
    graded = len(list((out / "results").glob("*.json")))
    assert graded == n, f"{graded} of {n} submissions graded"
    return state


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
            state = timed(course, subs_dir, base / name, n=n, jobs=jobs, sandbox=sandbox)
            figures.update({"submissions": n, name: state["seconds"], f"{name}-run": state})
            write_atomic(record, json.dumps(figures, indent=2) + "\n")  # kept before the next one starts
        run = figures.get(f"{name}-run", {})
        print(
            f"{label:22} {figures[name]:8.1f} s   {n / figures[name]:6.3f} submissions/s"
            f"   (runs: {run.get('runs', 1)}, commit {run.get('commit', '?')},"
            f" load at start {run.get('load', '?')})",
            flush=True,
        )
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
