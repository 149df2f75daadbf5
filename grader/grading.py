"""``course grade``: a batch of submissions, graded in parallel and sandboxed, into every output.

The path of a submission, top to bottom:

1. ``grader.intake`` finds it (a directory or a zip) and reads only the course's files from it;
2. ``grader.tamper`` scans those files for constructs that deserve the instructor's review;
3. the journal says whether this content was already graded by these graders (then it is skipped);
4. a ``grader.tasks.GradeTask`` goes to an executor (a local process pool, or dask's), where each
   exercise runs in ``grader.sandbox`` through ``grader.runner``;
5. back in this process, the only writer: ``results/<student>.json`` and
   ``feedback/<student>.md`` atomically, then the journal row;
6. at the end, from the journal: ``gradebook.csv`` and ``report.html``.

Example::

    >>> summary = grade_batch(course, [Path("downloads/")], Path("out"), jobs=2)   # doctest: +SKIP
    >>> summary.graded, summary.skipped                                        # doctest: +SKIP
    (300, 0)
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import io
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader import feedback, report, tamper
from grader.files import write_atomic
from grader.intake import Submission, discover
from grader.journal import Journal
from grader.manifest import Course, Exercise
from grader.results import ExerciseResult, SubmissionResult
from grader.sandbox import safe_to_hide
from grader.tasks import GradeTask, grader_files, graders_digest, run_task

EXECUTORS = ("process", "dask")


@dataclass
class BatchSummary:
    """What a ``grade_batch`` call did."""

    results: list[SubmissionResult] = field(default_factory=list)  # every student, this run or before
    graded: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def _fmt(score: float) -> str:
    return f"{score:g}"


def gradebook_csv(results: list[SubmissionResult], exercises: list[Exercise]) -> str:
    """The gradebook as CSV text (pure, so it is golden-tested)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student", *(ex.slug for ex in exercises), "total", "max_total"])
    for res in sorted(results, key=lambda r: r.student):
        writer.writerow(
            [
                res.student,
                *(_fmt(res.exercises[ex.slug].score) if ex.slug in res.exercises else "" for ex in exercises),
                _fmt(res.total),
                _fmt(res.max_total),
            ]
        )
    return buf.getvalue()


def unreadable_result(sub: Submission, exercises: list[Exercise]) -> SubmissionResult:
    """Zeros with the reason, for a submission that could not be read at all (a bad archive)."""
    message = f"the submission could not be read: {sub.error}"
    results = {ex.slug: ExerciseResult(ex.slug, "error", 0, ex.points, [], message) for ex in exercises}
    return SubmissionResult(sub.student, results)


def hidden_paths(course: Course, sources: list[Path], out: Path) -> tuple[str, ...]:
    """What a grading run must not see: the solutions, the other submissions, the outputs."""
    candidates = [course.root / "solutions", out]
    for src in sources:
        src = src.resolve()
        candidates.append(src.parent if src.is_file() or (src / "exercises").is_dir() else src)
    return tuple(str(p) for p in safe_to_hide(candidates))


def _worker_init() -> None:
    """Process-pool workers die with the parent (``kill -9`` included), never orphaned."""
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def make_executor(kind: str, jobs: int, scheduler: str | None) -> Iterator[concurrent.futures.Executor]:
    """A ``concurrent.futures`` executor: a local process pool, or dask.distributed's."""
    if kind == "dask":
        try:
            from distributed import Client
        except ImportError:
            raise RuntimeError("--executor dask needs dask.distributed: pip install '.[dask]'") from None
        if not scheduler:
            raise RuntimeError("--executor dask needs --scheduler ADDRESS (tcp://host:8786)")
        with Client(scheduler) as client:
            # pure=False: a task is a real run; never reuse a cached result for "the same" input.
            yield client.get_executor(pure=False)
        return
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_worker_init) as pool:
        yield pool


def _progress(total: int, quiet: bool) -> Any:
    from tqdm import tqdm

    # disable=None: tqdm stays silent when stderr is not a terminal (CI logs, pipes).
    return tqdm(total=total, unit="sub", desc="grading", disable=True if quiet else None, file=sys.stderr)


def write_outputs(out: Path, result: SubmissionResult, course: Course) -> None:
    """One student's files, each written whole or not at all."""
    write_atomic(out / "results" / f"{result.student}.json", json.dumps(result.to_dict(), indent=2) + "\n")
    write_atomic(out / "feedback" / f"{result.student}.md", feedback.render(result, course))


def grade_batch(
    course: Course,
    sources: list[Path],
    out: Path,
    *,
    only: list[str] | None = None,
    jobs: int | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    sandbox: bool = True,
    force: bool = False,
    quiet: bool = False,
    on_done: Callable[[SubmissionResult], None] | None = None,
) -> BatchSummary:
    """Grade every submission under ``sources`` into ``out``; resumable and idempotent."""
    exercises = course.select(only)
    summary = BatchSummary()
    subs, summary.problems = discover(sources, exercises)
    out.mkdir(parents=True, exist_ok=True)
    graders = {ex.slug: grader_files(course, ex) for ex in exercises}
    gdigest = graders_digest(course, exercises)
    hide = hidden_paths(course, sources, out)
    flags = {s.student: tamper.scan_files(s.files) for s in subs}
    with Journal(out / "journal.sqlite") as journal:

        def finish(res: SubmissionResult, sub: Submission) -> None:
            res.flags, res.digest = flags[sub.student], sub.digest()
            write_outputs(out, res, course)
            journal.record(res, gdigest)  # after the files: a row means the student is done
            summary.graded += 1
            if on_done is not None:
                on_done(res)

        pending = []
        for sub in subs:
            done = journal.is_done(sub.student, sub.digest(), gdigest)
            if done and not force and (out / "results" / f"{sub.student}.json").is_file():
                summary.skipped += 1
            elif sub.error:
                finish(unreadable_result(sub, exercises), sub)
            else:
                pending.append(sub)
        if pending:
            jobs = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
            bar = _progress(len(pending), quiet)
            failed = 0
            with make_executor(executor, jobs, scheduler) as pool:
                futures = {
                    pool.submit(
                        run_task,
                        GradeTask.build(course, sub, exercises, sandbox=sandbox, hide=hide, graders=graders),
                    ): sub
                    for sub in pending
                }
                for fut in concurrent.futures.as_completed(futures):
                    sub = futures[fut]
                    res = SubmissionResult.from_full(fut.result())
                    finish(res, sub)
                    failed += res.total < res.max_total
                    bar.set_postfix(below_full=failed, refresh=False)
                    bar.update(1)
            bar.close()
        summary.results = [r for s in subs if (r := journal.result(s.student)) is not None]
    write_atomic(out / "gradebook.csv", gradebook_csv(summary.results, exercises))
    write_atomic(out / "report.html", report.render(summary.results, exercises, summary.problems))
    return summary
