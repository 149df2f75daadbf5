"""Timing figures for the closing notes: median wall time of `course check fix_blocking` and of
`course verify`, each run as a student or maintainer would run it (a fresh process every time).

Usage: python bench/bench_course.py [--runs N] [--verify-runs M]

Speed is measured here, never asserted in a test. The figures depend on the machine and its load;
quote them with the command that produced them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE = Path(sys.executable).with_name("course")


def _timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, proc.returncode


def _scratch_copy() -> Path:
    # `course check` writes the progress file: run it in a copy, never in the working tree.
    dest = Path(tempfile.mkdtemp(prefix="bench-course-")) / "kit"
    shutil.copytree(
        REPO, dest, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", ".course-state.json")
    )
    return dest


def _report(label: str, samples: list[float], codes: set[int]) -> None:
    print(
        f"{label}: median {statistics.median(samples):.2f} s "
        f"(min {min(samples):.2f}, max {max(samples):.2f}, n={len(samples)}, exit status {sorted(codes)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of course check (default 5)")
    parser.add_argument("--verify-runs", type=int, default=3, help="runs of course verify (default 3)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    kit = _scratch_copy()
    try:
        for label, slug_files in (("starter", "exercises"), ("solution", "solutions")):
            if slug_files == "solutions":
                src = kit / "solutions/fix_blocking/fix_blocking.py"
                shutil.copy(src, kit / "exercises/fix_blocking/fix_blocking.py")
            samples, codes = [], set()
            for _ in range(args.runs):
                seconds, code = _timed([str(COURSE), "check", "fix_blocking"], kit)
                samples.append(seconds)
                codes.add(code)
            _report(f"course check fix_blocking ({label})", samples, codes)
    finally:
        shutil.rmtree(kit.parent, ignore_errors=True)
    samples, codes = [], set()
    for _ in range(args.verify_runs):
        seconds, code = _timed([str(COURSE), "verify"], REPO)
        samples.append(seconds)
        codes.add(code)
    _report("course verify (all exercises, --repeat 1)", samples, codes)


if __name__ == "__main__":
    main()
