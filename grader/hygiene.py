"""asyncio hygiene turned into verdicts: what a test's loop saw go wrong, said in the student's terms.

Four mistakes never show up as a failed assertion, because asyncio only logs them, often from a
garbage collector's ``__del__``:

- a coroutine that was created and never awaited (a ``RuntimeWarning`` at collection time);
- a task whose exception nobody retrieved ("Task exception was never retrieved");
- a task destroyed while still pending;
- a task still running when the test ended (leaked).

``LoopRecorder`` is installed as the exception handler of every test's loop; ``collect_findings``
runs after the test body, forces a collection, and turns each record into a ``Finding`` whose
message names the student's file and line where it can.

Example::

    >>> findings = collect_findings(recorder, warnings, loop, {"fix_blocking.py"})  # doctest: +SKIP
    >>> print(findings[0].message)                                                  # doctest: +SKIP
    `fetch()` was called at fix_blocking.py:14 but never awaited: ...
"""

from __future__ import annotations

import asyncio
import gc
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.cancellation import abandon, discard_outcome

UNAWAITED_RE = re.compile(r"coroutine '([^']+)' was never awaited")
ORIGIN_RE = re.compile(r'File "([^"]+)", line (\d+), in (\S+)')


@dataclass(frozen=True)
class Finding:
    """One hygiene verdict: ``kind`` is a short tag, ``message`` teaches."""

    kind: str
    message: str


class LoopRecorder:
    """The loop's exception handler: records what asyncio would otherwise only log."""

    def __init__(self) -> None:
        self.contexts: list[dict[str, Any]] = []

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        self.contexts.append(context)


def _short(path: str) -> str:
    return Path(path).name


def _is_student(path: str, student_files: set[str]) -> bool:
    return os.path.realpath(path) in student_files


def describe_coroutine(coro: Any, student_files: set[str]) -> str:
    """``fetch()`` at fix_blocking.py:12, for a coroutine or async generator (suspended or not)."""
    name = getattr(coro, "__qualname__", None) or getattr(coro, "__name__", repr(coro))
    frame = getattr(coro, "cr_frame", None) or getattr(coro, "ag_frame", None)
    code = getattr(coro, "cr_code", None) or getattr(coro, "ag_code", None)
    if frame is not None:
        where = f"{_short(frame.f_code.co_filename)}:{frame.f_lineno}"
    elif code is not None:
        where = f"{_short(code.co_filename)}:{code.co_firstlineno}"
    else:
        return f"`{name}()`"
    return f"`{name}()` at {where}"


def _origin(coro: Any, student_files: set[str]) -> str:
    # With origin tracking on, a coroutine remembers where it was created (cr_origin).
    for filename, lineno, _func in getattr(coro, "cr_origin", None) or ():
        if _is_student(filename, student_files):
            return f", created at {_short(filename)}:{lineno}"
    return ""


def _is_test_file(filename: str) -> bool:
    path = filename.replace("\\", "/")
    return "/hidden/" in path or path.rsplit("/", 1)[-1].startswith("test_")


def describe_task(task: asyncio.Task, student_files: set[str]) -> str:
    """A task, by the coroutine it runs and where that coroutine is suspended (or was created)."""
    coro = task.get_coro()
    # Show the innermost frame of the student's file when the task waits deep inside it.
    awaited = coro
    best = describe_coroutine(coro, student_files)
    code = getattr(coro, "cr_code", None)
    if code is not None and _is_test_file(code.co_filename):
        # A grader's double: its name and line would give the hidden test away.
        best = "a coroutine the tests gave your code"
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None)
        if frame is not None and _is_student(frame.f_code.co_filename, student_files):
            best = describe_coroutine(awaited, student_files)
        awaited = getattr(awaited, "cr_await", None)
    return f"task {task.get_name()!r} running {best}{_origin(coro, student_files)}"


def unawaited_findings(
    records: list[warnings.WarningMessage], student_files: set[str]
) -> tuple[list[Finding], list[warnings.WarningMessage]]:
    """Split recorded warnings into never-awaited-coroutine findings and the other warnings."""
    findings: list[Finding] = []
    rest: list[warnings.WarningMessage] = []
    for rec in records:
        text = str(rec.message)
        match = UNAWAITED_RE.search(text)
        if not (issubclass(rec.category, RuntimeWarning) and match):
            rest.append(rec)
            continue
        name = match.group(1).rsplit(".", 1)[-1]
        # With coroutine origin tracking on, the warning lists where the coroutine was created.
        origins = [(f, int(n)) for f, n, _ in ORIGIN_RE.findall(text)]
        mine = [(f, n) for f, n in origins if _is_student(f, student_files)]
        where = f" at {_short(mine[-1][0])}:{mine[-1][1]}" if mine else ""
        findings.append(
            Finding(
                "never-awaited",
                f"`{name}()` was called{where} but never awaited: calling an async function only "
                f"creates a coroutine object, and nothing in it runs until you `await` it (or wrap it "
                f"in `asyncio.create_task(...)` and await the task).",
            )
        )
    return findings, rest


def context_findings(contexts: list[dict[str, Any]], student_files: set[str]) -> list[Finding]:
    """Findings from what the loop's exception handler received."""
    findings: list[Finding] = []
    for ctx in contexts:
        message = str(ctx.get("message", ""))
        exc = ctx.get("exception")
        task = ctx.get("task") or ctx.get("future")
        what = describe_task(task, student_files) if isinstance(task, asyncio.Task) else "a future"
        if "exception was never retrieved" in message:
            findings.append(
                Finding(
                    "exception-never-retrieved",
                    f"{what} raised {type(exc).__name__}: {exc} and nobody retrieved it: await the "
                    f"task (or pass it to `asyncio.gather`) so that its error reaches your code.",
                )
            )
        elif "destroyed but it is pending" in message:
            findings.append(
                Finding(
                    "task-destroyed-pending",
                    f"{what} was still pending when nothing referred to it any more, so it was "
                    f"destroyed unfinished: await every task you start before returning (and keep "
                    f"a reference to it until then: the loop holds only weak ones).",
                )
            )
        else:
            detail = f" ({type(exc).__name__}: {exc})" if exc is not None else ""
            findings.append(Finding("loop-error", f"the event loop reported: {message}{detail}"))
    return findings


def is_asyncgen_closer(task: asyncio.Task) -> bool:
    """True for the task asyncio itself starts to ``aclose()`` an abandoned async generator."""
    return type(task.get_coro()).__name__ == "async_generator_athrow"


def settle(loop: asyncio.AbstractEventLoop, grace: float) -> None:
    """Let the loop finish its own housekeeping before leaks are counted.

    An async generator dropped before its end is closed by the loop, in a task of the loop's
    making (``aclose()`` from the asyncgen finaliser hook): collect garbage so that happens now, run
    one turn so the task exists, then give those tasks (and only those) time to finish.
    """
    if loop.is_closed() or loop.is_running():
        return
    collect_garbage()
    loop.run_until_complete(asyncio.sleep(0))
    closers = [t for t in asyncio.all_tasks(loop) if not t.done() and is_asyncgen_closer(t)]
    if closers:
        loop.run_until_complete(asyncio.wait(closers, timeout=grace))


def leaked_tasks(loop: asyncio.AbstractEventLoop) -> list[asyncio.Task]:
    """Tasks of ``loop`` that are still pending (call after the test's own task has finished)."""
    return sorted((t for t in asyncio.all_tasks(loop) if not t.done()), key=lambda t: t.get_name())


def leaked_findings(tasks: list[asyncio.Task], student_files: set[str]) -> list[Finding]:
    """One finding per task left running."""
    return [
        Finding(
            "task-leaked",
            f"{describe_task(t, student_files)} was still running when the test ended: "
            f"every task you start must be finished before your function returns: awaited, or, "
            f"if its work is no longer wanted, cancelled and then awaited.",
        )
        for t in tasks
    ]


def stop_tasks(loop: asyncio.AbstractEventLoop, tasks: list[asyncio.Task], grace: float) -> None:
    """Cancel leaked tasks and let them finish; close any that swallow the cancellation."""
    if not tasks or loop.is_closed():
        return
    for t in tasks:
        t.cancel()
    loop.run_until_complete(asyncio.wait(tasks, timeout=grace))
    for t in tasks:
        if not t.done():
            abandon(t)  # it swallowed the cancellation
    loop.run_until_complete(asyncio.sleep(0))
    for t in tasks:
        discard_outcome(t)  # already reported as leaked: not a second time as "never retrieved"


def collect_garbage() -> None:
    """Run the collector twice: coroutines and tasks in cycles are finalised on the first pass."""
    gc.collect()
    gc.collect()
