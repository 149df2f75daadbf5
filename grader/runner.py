"""One grading run: an exercise's tests against one student file, in a pytest subprocess.

The subprocess uses the kit's own pytest configuration (``grading.ini``, passed with ``-c``), an
isolated interpreter (``-I``: no PYTHONPATH, no user site), ``--noconftest``, a private working
directory, its own session (so the whole process group can be killed) and a wall-clock limit. The
results come back as ``grader.results`` records over a pipe the parent created; stdout and the
exit code are kept for diagnosis but never parsed for a verdict.

If the process dies in the middle (the hard timeout fired, or the code under test ended the
interpreter), the test that began and never reported is recorded as ``timeout`` or ``error`` and
the run starts again without the tests already accounted for, so one bad test cannot cost the rest.

Example::

    >>> result = run_exercise(course, course.exercise("fix_blocking"),
    ...                       student_file=Path("solutions/fix_blocking/fix_blocking.py"))  # doctest: +SKIP
    >>> result.status, result.score, result.max_score                                      # doctest: +SKIP
    ('passed', 10, 10)
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from grader.manifest import Course, Exercise
from grader.points import declared_points, points_for
from grader.results import ExerciseResult, TestResult, read_records
from grader.sandbox import Isolation, Workspace, sweep, wrap_command

MAX_RESTARTS = 20
OUTPUT_LIMIT = 64 * 1024
EXIT_GRACE = 5.0  # seconds a run may take to exit after reporting its end
REPORT_LIMIT = 16 * 1024 * 1024  # more than any honest run reports; a flood is read and dropped


def grading_ini() -> Path:
    """The pytest configuration every grading run uses."""
    return Path(str(resources.files("grader") / "grading.ini"))


@dataclass
class RawRun:
    """What one pytest process reported, before it is folded into an ExerciseResult."""

    records: list[dict[str, Any]]
    returncode: int | None
    output: str
    killed: bool
    hard_timeout: bool = False  # faulthandler's "Timeout (h:mm:ss)!" arrived on the report channel


@dataclass
class RunPlan:
    """Everything needed to grade one exercise for one student file."""

    course: Course
    exercise: Exercise
    test_files: list[Path]
    student_file: Path | None = None  # a file to grade in place of the submission's own
    submission: Path | None = None  # a directory holding the student's files
    extra_args: list[str] = field(default_factory=list)
    isolation: Isolation | None = None  # run inside grader.sandbox (with ``workspace``)
    workspace: Workspace | None = None
    restarts: int = MAX_RESTARTS
    wall: float | None = None  # seconds; default: from the exercise's timeout
    timeout: float | None = None  # per-test default; the plugin applies each exercise's own

    def wall_limit(self) -> float:
        """Seconds the whole process may take: every test at its timeout, plus slack."""
        if self.wall is not None:
            return self.wall
        per_test = self.exercise.timeout or self.course.grading.timeout
        return per_test * max(1, 2 * len(self.test_files)) + self.course.grading.hard_timeout_grace + 30


def test_files(exercise: Exercise, *, hidden: bool) -> list[Path]:
    """The public tests, and the hidden graders when ``hidden``."""
    files = exercise.public_tests()
    return [*files, *exercise.hidden_tests()] if hidden else files


# Grading runs load these plugins and no other: entry points are not read (AUTOLOAD_OFF), so a
# package that happens to be installed beside the kit (anyio's and platformdirs' plugins come with
# Jupyter) cannot change a verdict, and pytest starts in half the time.
PLUGINS = ("-p", "grader.plugin", "-p", "pytest_asyncio.plugin", "-p", "pytest_timeout")
AUTOLOAD_OFF = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}


def pytest_command(course: Course) -> list[str]:
    """The start of every grading pytest command: isolated Python, the kit's configuration, the course.

    Example: ``pytest_command(course) + ["--collect-only", "exercises/demo/test_demo.py"]``.
    """
    head = [sys.executable, "-I", "-B", "-m", "pytest", "-c", str(grading_ini())]
    return [*head, *PLUGINS, "--rootdir", str(course.root), "--course-manifest", str(course.file)]


def _command(plan: RunPlan, report_fd: int, deselect: list[str], token_fd: int | None = None) -> list[str]:
    course = plan.course
    cmd = [
        *pytest_command(course),
        "--course-report",
        f"fd:{report_fd}",
        *(["--course-token", f"fd:{token_fd}"] if token_fd is not None else []),
        "-o",
        f"timeout={plan.timeout or plan.exercise.timeout or course.grading.timeout}",
        "-o",
        f"course_blocking_threshold={course.grading.blocking_threshold}",
        "-o",
        f"course_hard_timeout_grace={course.grading.hard_timeout_grace}",
        "-p",
        "no:cacheprovider",
    ]
    if plan.student_file is not None:
        cmd += ["--course-file", f"{plan.exercise.slug}={Path(plan.student_file).resolve()}"]
    if plan.submission is not None:
        cmd += ["--course-submission", str(Path(plan.submission).resolve())]
    for nodeid in deselect:
        cmd += ["--deselect", nodeid]
    cmd += plan.extra_args
    cmd += [str(p) for p in plan.test_files]
    return cmd


def _token_pipe(token: str) -> int:
    """A pipe holding ``token``, closed for writing: the child reads it once at start-up."""
    read_fd, write_fd = os.pipe()
    os.write(write_fd, token.encode())
    os.close(write_fd)
    return read_fd


def _run_once(plan: RunPlan, deselect: list[str]) -> RawRun:
    read_fd, write_fd = os.pipe()
    token = secrets.token_hex(16)
    token_fd = _token_pipe(token)
    chunks: list[bytes] = []
    ended = threading.Event()

    def drain() -> None:  # read while the child writes, so a full pipe never blocks it
        size = 0
        with os.fdopen(read_fd, "rb") as pipe:
            for chunk in iter(lambda: pipe.read1(65536), b""):
                size += len(chunk)
                if size <= REPORT_LIMIT:
                    chunks.append(chunk)
                if b'"event": "end"' in chunk:
                    ended.set()

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        **AUTOLOAD_OFF,
    }
    killed = False
    command = _command(plan, write_fd, deselect, token_fd)
    ws = plan.workspace
    if plan.isolation is not None and ws is not None:
        command = wrap_command(
            command,
            plan.isolation,
            plan.course.grading.limits,
            uid=ws.uid,
            hide=ws.hide,
            seal=[f for f in plan.test_files if is_hidden(f.as_posix())],
            seal_with=ws.empty,
        )
        env.update(ws.env())
    with contextlib.ExitStack() as stack:
        workdir = (
            str(ws.work) if ws else stack.enter_context(tempfile.TemporaryDirectory(prefix="course-run-"))
        )
        output = stack.enter_context(tempfile.TemporaryFile())
        try:
            proc = subprocess.Popen(
                command,
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd, token_fd),
                start_new_session=True,
            )
        finally:
            os.close(write_fd)
            os.close(token_fd)
        try:
            killed = _wait(proc, plan.wall_limit(), ended)
        finally:
            _kill_group(proc)
            if ws is not None and ws.uid is not None and plan.isolation and not plan.isolation.namespaces:
                sweep(ws.uid)  # no PID namespace: anything of the run's uid that escaped its group
        reader.join(timeout=10)
        output.seek(0)
        text = output.read(OUTPUT_LIMIT).decode("utf-8", "replace")
    lines = b"".join(chunks).decode("utf-8", "replace").splitlines()
    hard_timeout = any(line.startswith("Timeout (") for line in lines)
    # Only the plugin knows the token: whatever else reached the pipe is dropped.
    records = [r for r in read_records(lines) if r.pop("token", None) == token]
    return RawRun(records, proc.returncode, text, killed, hard_timeout)


def _wait(proc: subprocess.Popen[bytes], wall_limit: float, ended: threading.Event) -> bool:
    """Wait for the run to exit; True if it went past ``wall_limit`` and must be killed.

    Once the run has reported its end it gets ``EXIT_GRACE`` seconds more to exit: a submission
    that leaves a non-daemon thread running would otherwise hold the interpreter open until the
    wall-clock limit, with every result already in hand.
    """
    deadline = time.monotonic() + wall_limit
    while True:
        step = min(0.25, max(0.0, deadline - time.monotonic()))
        try:
            proc.wait(timeout=step)
            return False
        except subprocess.TimeoutExpired:
            pass
        if ended.is_set():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=EXIT_GRACE)
            return False  # every result is in: a process still running is stopped, not blamed
        if time.monotonic() >= deadline:
            return True


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    # The run is its own session: end it and anything it started that stayed in its group.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def run_plan(plan: RunPlan) -> ExerciseResult:
    """Run the plan to the end (restarting after a crash) and fold the records into a result."""
    records, problems = _run_to_end(plan)
    return fold(plan, records, [text for _, text in problems])


def run_together(plans: list[RunPlan]) -> list[ExerciseResult]:
    """Several exercises of one submission in one pytest process, folded per exercise.

    One interpreter start instead of one per exercise: most of a grading run's cost is starting
    Python, pytest and the plugin. A crash in one exercise's test costs a restart, not the other
    exercises' results (the restart skips every test already accounted for). The plans must
    share the course, the submission and the sandbox.
    """
    if len(plans) == 1:
        return [run_plan(plans[0])]
    first = plans[0]
    combined = dataclasses.replace(
        first,
        test_files=[f for p in plans for f in p.test_files],
        restarts=MAX_RESTARTS * len(plans),
        wall=sum(p.wall_limit() for p in plans),
        timeout=first.course.grading.timeout,
    )
    records, problems = _run_to_end(combined)
    owner = {f.resolve(): i for i, p in enumerate(plans) for f in p.test_files}
    root = first.course.root

    def plan_of(nodeid: str) -> int | None:
        return owner.get((root / nodeid.split("::")[0]).resolve())

    grouped: list[list[dict[str, Any]]] = [[] for _ in plans]
    for rec in records:
        index = plan_of(rec["nodeid"])
        if index is not None:
            grouped[index].append(rec)
    results = []
    for i, plan in enumerate(plans):
        mine = [text for nodeid, text in problems if nodeid is None or plan_of(nodeid) == i]
        # a run that ended early is a problem of the exercises it never reached
        if grouped[i] and any(nodeid is None for nodeid, _ in problems):
            mine = [text for nodeid, text in problems if nodeid is not None and plan_of(nodeid) == i]
        results.append(fold(plan, grouped[i], mine))
    return results


def _run_to_end(plan: RunPlan) -> tuple[list[dict[str, Any]], list[tuple[str | None, str]]]:
    """Every test record of the plan, in order, and the problems as (nodeid or None, text)."""
    tests: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    problems: list[tuple[str | None, str]] = []
    for _attempt in range(plan.restarts):
        raw = _run_once(plan, deselect=order.copy())
        begun = None
        finished = False
        for rec in raw.records:
            event = rec.get("event")
            if event == "begin":
                begun = rec["nodeid"]
            elif event == "test":
                tests[rec["nodeid"]] = rec
                order.append(rec["nodeid"])
                begun = None
            elif event == "collect-error":
                text = f"the grader's tests could not be collected: {rec.get('message')}"
                problems.append((rec.get("nodeid") or None, text))
            elif event == "end":
                finished = True
        if finished or problems:
            break
        if begun is None:
            # Died before any test began: at start-up, or between tests.
            problems.append((None, _ended_early(raw, None)))
            break
        tests[begun] = _crashed_test(begun, raw)
        order.append(begun)
    return [tests[n] for n in order], problems


def _ended_early(raw: RawRun, nodeid: str | None) -> str:
    where = f" during {nodeid.rsplit('::', 1)[-1]}" if nodeid else ""
    if raw.killed:
        return f"the grading run was stopped{where}: it went past its wall-clock limit"
    return (
        f"the grading run ended{where} before reporting (exit status {raw.returncode}): did the "
        f"code call sys.exit() or os._exit(), or crash the interpreter?"
    )


def _crashed_test(nodeid: str, raw: RawRun) -> dict[str, Any]:
    status = "timeout" if (raw.hard_timeout or raw.killed) else "error"
    message = (
        "timed out and was stopped: the code under test never finished, even after being "
        "interrupted (a blocking call in C code, or a task that ignores cancellation?)"
        if status == "timeout"
        else _ended_early(raw, nodeid)
    )
    return {
        "event": "test",
        "nodeid": nodeid,
        "name": nodeid.rsplit("::", 1)[-1],
        "status": status,
        "message": message,
        "points": None,
        "student_error": None if status == "timeout" else "crash",
    }


def is_hidden(nodeid: str) -> bool:
    """True for a hidden grader's test (or file): it lives under a ``hidden/`` folder."""
    return "/hidden/" in nodeid.replace("\\", "/")


def fold(plan: RunPlan, records: list[dict[str, Any]], problems: list[str]) -> ExerciseResult:
    """Turn test records into the exercise's result (score, status, per-test results)."""
    points_of = _declared_points(plan)
    results: list[TestResult] = []
    for rec in records:
        points = rec.get("points")
        if points is None:  # a test that crashed the process never reported its points
            points = points_for(rec["nodeid"], points_of)
        status = rec["status"]
        results.append(
            TestResult(
                name=rec["name"],
                status=status,
                score=points if status == "passed" else 0,
                max_score=points,
                message=rec.get("message") or "",
                nodeid=rec["nodeid"],
                visibility="hidden" if is_hidden(rec["nodeid"]) else "visible",
            )
        )
    kinds = {rec.get("student_error") for rec in records} - {None}
    message = ""
    if kinds:
        first = next(r for r in records if r.get("student_error"))
        message = first.get("message", "")
    if problems:
        status = "error"
        message = "; ".join(problems)
    elif kinds == {"crash"} and any(t.status == "passed" for t in results):
        status = "failed"  # one test ended the process; the others ran and judged
    elif kinds == {"missing"}:
        status = "missing"
    elif kinds:
        status = "error"
    elif results and all(t.status == "passed" for t in results):
        status = "passed"
    else:
        status = "failed"
    score = sum(t.score for t in results)
    max_score = sum(t.max_score for t in results) if results else plan.exercise.points
    return ExerciseResult(plan.exercise.slug, status, score, max_score, results, message)


def _declared_points(plan: RunPlan) -> dict[str, float]:
    # Only needed for a test that crashed its process before reporting: read its marker statically.
    return declared_points(plan.test_files, plan.course.root)


def run_exercise(
    course: Course,
    exercise: Exercise,
    *,
    student_file: Path | None = None,
    submission: Path | None = None,
    hidden: bool = True,
) -> ExerciseResult:
    """Grade one exercise: the public tests, plus the hidden graders when ``hidden``."""
    plan = RunPlan(course, exercise, test_files(exercise, hidden=hidden), student_file, submission)
    return run_plan(plan)
