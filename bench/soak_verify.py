"""Soak: `course verify --repeat N` while CPU hogs load the machine; prints whether every verdict held.

Usage: python bench/soak_verify.py [--repeat 20] [--hogs 2] [--jobs N] [SLUG...]

The hogs are plain busy loops (one process each), started before and killed after the run. The
exit status is verify's own: 0 only if every target was judged as expected in every repeat.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE = Path(sys.executable).with_name("course")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--hogs", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=None, help="verify's runs at once (default: CPUs)")
    parser.add_argument("slugs", nargs="*")
    args = parser.parse_args()
    hogs = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
        for _ in range(args.hogs)
    ]
    try:
        start = time.perf_counter()
        # verify's lines are passed on as they come, so a long soak shows its progress.
        with subprocess.Popen(
            [
                str(COURSE),
                "verify",
                "--repeat",
                str(args.repeat),
                *(["--jobs", str(args.jobs)] if args.jobs else []),
                *args.slugs,
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as proc:
            assert proc.stdout is not None
            lines = []
            for line in proc.stdout:
                lines.append(line.rstrip("\n"))
                print(line, end="", flush=True)
        elapsed = time.perf_counter() - start
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    problems = [line for line in lines if line.lstrip().startswith(("!", "✗"))]
    print("\n".join(problems) if problems else "no target judged otherwise than expected")
    print(
        f"{args.hogs} CPU hogs, --repeat {args.repeat}: {elapsed:.0f} s wall, exit status {proc.returncode}"
    )
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
