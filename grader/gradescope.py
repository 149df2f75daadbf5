"""Gradescope: the autograder bundle an instructor uploads, and the run it does per submission.

Gradescope unzips the bundle into ``/autograder/source``, runs ``setup.sh`` there once to build
its image, then for each submission puts the student's files in ``/autograder/submission``, runs
``/autograder/run_autograder`` and reads ``/autograder/results/results.json``. The bundle holds:

- ``setup.sh``: a virtualenv in ``source/.venv`` with the kit and its core dependencies;
- ``run_autograder``: calls ``python -m grader.gradescope`` (below) with the venv's Python;
- the kit (``pyproject.toml``, ``README.md``, ``grader/``), ``course.yml``, and for each exercise
  its public tests and its hidden graders; never a reference solution or a wrong/correct variant;
- ``gradescope.json``: the exercises this assignment grades (``course gradescope --only``).

A submission is either the student's repository (its ``exercises/`` folder at the top, or in the
one folder a zip was made of) or the exercise files themselves, uploaded loose
(``fix_blocking.py``). An exercise whose file is not there scores zero, with the reason, like in
``course grade``. The result is ``course grade --format gradescope``'s: hidden tests are visible
``after_published``, public ones at once.

``AUTOGRADER_ROOT`` (default ``/autograder``) moves the whole tree, so the bundle runs locally
against a fake one; ``AUTOGRADER_PYTHON`` names the interpreter (default: ``source/.venv``'s if
setup.sh made it, else ``python3``).

Example::

    >>> write_bundle(course, Path("autograder.zip"), only=["fix_blocking"])   # doctest: +SKIP
    >>> run(Path("/autograder"))                                               # doctest: +SKIP
    0
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
import tempfile
import zipfile
from importlib import resources
from pathlib import Path, PurePosixPath

from grader import formats
from grader.files import write_atomic
from grader.grading import grade_batch
from grader.intake import Submission, is_submission_dir, read_dir
from grader.manifest import Course, Exercise, load_course
from grader.results import SubmissionResult
from grader.tasks import grader_files, kit_files

CONFIG = "gradescope.json"
EXECUTABLE = 0o755
REGULAR = 0o644
# The kit as pip installs it: pyproject.toml names README.md as the package's readme.
KIT_TOP_FILES = ("pyproject.toml", "README.md")

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, in /autograder/source, when it builds the autograder image.
# The kit needs Python 3.11 or newer: pick the Ubuntu 24.04 base image (its python3 is 3.12).
set -euo pipefail
cd "$(dirname "$0")"
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "setup.sh: the course kit needs Python 3.11 or newer, found $(python3 --version 2>&1);" \\
         "choose the Ubuntu 24.04 base image in the autograder settings" >&2
    exit 1
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check .
# The grading process (root) reads the hidden graders and copies them into each run; the student's
# code runs as a uid of its own (Gradescope's container rarely allows namespaces to hide them), so
# only root may read them here.
chmod -R go-rwx solutions
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission (from a copy at /autograder/run_autograder, so it
# finds everything through AUTOGRADER_ROOT, never through its own location). It writes
# $AUTOGRADER_ROOT/results/results.json.
#   AUTOGRADER_ROOT    the tree to use (default /autograder; a fake one in the kit's tests)
#   AUTOGRADER_PYTHON  the interpreter (default: source/.venv's, made by setup.sh, else python3);
#                      the kit's tests pass their own, which has the kit installed, and never
#                      run setup.sh's network install.
set -u
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PY="${AUTOGRADER_PYTHON:-}"
if [ -z "$PY" ]; then
    if [ -x "$ROOT/source/.venv/bin/python" ]; then PY="$ROOT/source/.venv/bin/python"; else PY=python3; fi
fi
# -I: nothing from the current directory or PYTHON* variables shadows the installed kit.
exec "$PY" -I -m grader.gradescope --root "$ROOT"
"""


def bundle_members(course: Course, exercises: list[Exercise]) -> dict[str, tuple[bytes, int]]:
    """Every file of the bundle: path inside the zip -> (content, permission bits).

    Only what grading needs: the kit, ``course.yml``, each exercise's public tests and hidden
    graders (``grader.tasks.grader_files``, the same files ``course grade`` copies into a run).

    Example: ``bundle_members(course, [course.exercise("fix_blocking")])["setup.sh"][1] == 0o755``
    """
    members: dict[str, tuple[bytes, int]] = {
        "setup.sh": (SETUP_SH.encode(), EXECUTABLE),
        "run_autograder": (RUN_AUTOGRADER.encode(), EXECUTABLE),
        CONFIG: (
            json.dumps({"exercises": [ex.slug for ex in exercises]}, indent=2).encode() + b"\n",
            REGULAR,
        ),
    }
    for path in kit_files():
        members[f"grader/{path.name}"] = (path.read_bytes(), REGULAR)
    kit_root = Path(str(resources.files("grader"))).parent
    for name in KIT_TOP_FILES:
        if not (kit_root / name).is_file():
            raise FileNotFoundError(
                f"{kit_root / name}: the kit's {name} is needed to install it on Gradescope"
            )
        members[name] = ((kit_root / name).read_bytes(), REGULAR)
    for ex in exercises:
        for rel, data in grader_files(course, ex).items():
            members[rel] = (data, REGULAR)
    return members


def write_bundle(course: Course, out: Path, *, only: list[str] | None = None) -> list[str]:
    """Write the autograder zip to ``out`` (atomically); return its member names.

    Example: ``write_bundle(course, Path("autograder.zip"), only=["fix_blocking"])``
    """
    members = bundle_members(course, course.select(only))
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        dir=out.parent, prefix=f".{out.name}.", suffix=".tmp", delete=False
    ) as tmp:
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, (data, mode) in sorted(members.items()):
                    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # reproducible
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = (stat.S_IFREG | mode) << 16
                    archive.writestr(info, data)
        except BaseException:
            Path(tmp.name).unlink(missing_ok=True)
            raise
    Path(tmp.name).replace(out)
    return sorted(members)


def find_files(submission: Path, exercises: list[Exercise]) -> tuple[Submission, list[str]]:
    """The exercise files of a Gradescope submission, keyed by their course path; and notes.

    A repository (``exercises/`` at the top, or in its one top folder) is read like in
    ``course grade``; otherwise each exercise's file is looked for by its name at the top, or in
    the one top folder when the top has none of them (a loose upload, or a zip of a folder).
    Symbolic links are refused, never followed (``grader.intake.read_dir``).

    Example: with ``fix_blocking.py`` uploaded alone, ``find_files(Path("/autograder/submission"),
    [ex])[0].files`` is ``{"exercises/fix_blocking/fix_blocking.py": b"..."}``.
    """
    children = (
        [c for c in submission.iterdir() if c.is_dir() and not c.is_symlink()] if submission.is_dir() else []
    )
    only_child = children[0] if len(children) == 1 else None
    by_name = {PurePosixPath(ex.path).name: ex.path for ex in exercises}
    if is_submission_dir(submission):
        sub = read_dir(submission, "submission", [ex.path for ex in exercises])
    elif only_child is not None and is_submission_dir(only_child):
        sub = read_dir(only_child, "submission", [ex.path for ex in exercises])
    else:
        base = submission
        if only_child is not None and not any(os.path.lexists(submission / n) for n in by_name):
            base = only_child
        loose = read_dir(base, "submission", sorted(by_name))
        sub = Submission("submission", submission)
        sub.files = {by_name[name]: data for name, data in loose.files.items()}
        sub.refused = {by_name[name]: reason for name, reason in loose.refused.items()}
    notes = [f"{reason}: that exercise scores zero" for reason in sub.refused.values()]
    if not sub.files and not sub.refused:
        notes.append(
            "No exercise file was found in the submission: upload your repository, or the files "
            + ", ".join(sorted(by_name))
        )
    return sub, notes


def stage(sub: Submission, into: Path) -> Path:
    """Lay the submission's files out as a repository under ``into`` for ``grade_batch``.

    Example: ``stage(sub, Path(tmp))`` returns ``tmp/submission``, holding ``exercises/...``.
    """
    repo = into / "submission"
    (repo / "exercises").mkdir(parents=True)
    for rel, data in sub.files.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return repo


def grade(course: Course, root: Path) -> tuple[SubmissionResult, list[str]]:
    """Grade ``root/submission`` for the bundle's exercises, like ``course grade`` does one student.

    Example: ``result, notes = grade(course, Path("/autograder")); result.total``
    """
    config = json.loads((root / "source" / CONFIG).read_text())
    exercises = course.select(config["exercises"])
    sub, notes = find_files(root / "submission", exercises)
    with tempfile.TemporaryDirectory(prefix="gradescope-") as tmp:
        repo = stage(sub, Path(tmp) / "in")
        summary = grade_batch(
            course, [repo], Path(tmp) / "out", only=[ex.slug for ex in exercises], jobs=1, quiet=True
        )
    return summary.results[0], notes


def results_json(result: SubmissionResult, notes: list[str]) -> str:
    """Gradescope's ``results.json`` text: ``formats.gradescope``, with the notes in its output.

    Example: ``json.loads(results_json(result, []))["score"] == result.total``
    """
    data = formats.gradescope(result)
    if notes:
        data["output"] = "\n".join([data["output"], *notes])
    return json.dumps(data, indent=2) + "\n"


def run(root: Path) -> int:
    """Grade the submission under ``root`` (Gradescope's ``/autograder``) into its results.json.

    Also prints the kit's own result (every message, the flags for review, the isolation that
    was in force) to stdout, which Gradescope shows the instructor only (``stdout_visibility``).

    Example: ``python -m grader.gradescope --root /autograder`` (what ``run_autograder`` does).
    """
    course = load_course(root / "source" / "course.yml", check_files=False)
    result, notes = grade(course, root)
    # Written after grading, from this process: whatever the student's code wrote there is replaced.
    write_atomic(root / "results" / "results.json", results_json(result, notes))
    print(json.dumps(result.to_dict(), indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m grader.gradescope`` (called by ``run_autograder``).

    Example: ``main(["--root", "/tmp/fake-autograder"])``
    """
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope", description=run.__doc__)
    parser.add_argument("--root", default="/autograder", help="Gradescope's tree (default /autograder)")
    args = parser.parse_args(argv)
    return run(Path(args.root))


if __name__ == "__main__":
    sys.exit(main())
