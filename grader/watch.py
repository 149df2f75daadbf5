"""``course watch``: the self-paced loop. Re-run the current exercise on every save, answer keys.

The current exercise is the first one not done, in course order, as ``course check`` decides
(``.course-state.json``). Every save of its file re-runs its public tests and shows the result;
lines typed on stdin are commands, so the loop works (and is tested) without a terminal:

    h  the next hint        n  the next exercise not done     l  the list
    r  run again            q  quit (end of input quits too)

Two threads feed one queue: one reads stdin lines, one waits for file changes (watchfiles). The
session (``WatchSession``) takes one event at a time from that queue, so what it prints never
interleaves, and it is driven by plain method calls in tests.

Example::

    $ course watch
    Watching demo: edit exercises/demo/demo.py and save to run its public tests again.
      demo  ✗  Demo exercise  0/1 tests
    ...
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

import watchfiles

from grader.check import next_exercise, render_hint, render_list, render_result, run_public, state_path
from grader.manifest import Course, Exercise
from grader.progress import Progress
from grader.results import ExerciseResult

KEYS = "keys (type, then Enter): h hint · n next exercise · l list · r run again · q quit"

Runner = Callable[[Course, Exercise], ExerciseResult]


class WatchSession:
    """What ``course watch`` does with each event: a save, or a line typed by the student.

    Example::

        session = WatchSession(course, sys.stdout)
        session.start()                       # runs the current exercise once
        session.on_saved({course.exercise("demo").starter})
        session.on_line("h")                  # False once the student typed q
    """

    def __init__(self, course: Course, out: TextIO, run: Runner = run_public) -> None:
        self.course = course
        self.out = out
        self.run = run
        self.current: Exercise | None = None

    def _say(self, text: str) -> None:
        self.out.write(text if text.endswith("\n") else text + "\n")
        self.out.flush()

    def _progress(self) -> Progress:
        # Read afresh each time: `course hint` or `course check` in another terminal may have
        # changed it since.
        return Progress.load(state_path(self.course))

    def start(self) -> bool:
        """Pick the current exercise and run it; False when every exercise is already done.

        Example: ``session.start()`` prints ``Watching demo: edit exercises/demo/demo.py ...``.
        """
        self.current = next_exercise(self.course, self._progress())
        if self.current is None:
            self._say("Every exercise passes its public tests. Well done!")
            return False
        self._run_current()
        return True

    def _run_current(self) -> None:
        ex = self.current
        assert ex is not None
        self._say(f"\nWatching {ex.slug}: edit {ex.path} and save to run its public tests again.")
        res = self.run(self.course, ex)
        progress = self._progress()
        progress.done[ex.slug] = res.passed
        first_hint = not res.passed and progress.hint_level(ex.slug) == 0
        if first_hint:
            progress.hints_shown[ex.slug] = 1  # as in `course check`: the first hint comes with a failure
        progress.save()
        self._say(render_result(ex, res))
        if first_hint:
            self._say(render_hint(ex, 1))
        if res.passed:
            self._say(f"✓ {ex.slug} passes its public tests. n: the next exercise.")
        self._say(KEYS)

    def on_saved(self, paths: Iterable[Path]) -> None:
        """Files changed: re-run the current exercise if its file is one of them.

        Example: ``session.on_saved({Path("exercises/demo/demo.py")})`` re-runs demo; a
        ``__pycache__`` file written by the run itself does not.
        """
        if self.current is None:
            return
        mine = self.current.starter.resolve()
        if any(Path(p).resolve() == mine for p in paths):
            self._run_current()

    def on_line(self, line: str) -> bool:
        """A command typed by the student; False means quit.

        Example: ``session.on_line("h\\n")`` shows the next hint and returns True;
        ``session.on_line("q\\n")`` returns False.
        """
        key = line.strip().lower()
        if key in ("q", "quit", "exit"):
            self._say("Bye. Your progress is saved: `course watch` again picks up where you left off.")
            return False
        if key in ("h", "hint"):
            self._hint()
        elif key in ("n", "next"):
            self._next()
        elif key in ("l", "list"):
            self._say(render_list(self.course, self._progress()))
        elif key in ("r", "run"):
            if self.current is not None:
                self._run_current()
        elif key:
            self._say(f"unknown command {key!r}. {KEYS}")
        return True

    def _hint(self) -> None:
        if self.current is None:
            return
        progress = self._progress()
        level = progress.next_hint(self.current.slug, len(self.current.hints))
        progress.save()
        self._say(render_hint(self.current, level))

    def _next(self) -> None:
        after = self.current.slug if self.current is not None else None
        nxt = next_exercise(self.course, self._progress(), after=after)
        if nxt is None:
            self._say("Every exercise passes its public tests. Well done! (q to quit)")
            return
        self.current = nxt
        self._run_current()


def _read_lines(stream: TextIO, events: queue.Queue[tuple[str, object]]) -> None:
    for line in stream:
        events.put(("line", line))
    events.put(("eof", None))


def _watch_files(
    dirs: list[Path],
    events: queue.Queue[tuple[str, object]],
    stop: threading.Event,
    ready: threading.Event,
) -> None:
    # yield_on_timeout makes the first (empty) yield come once the OS watches are in place, so
    # `ready` means a save from now on is seen.
    try:
        for changes in watchfiles.watch(
            *dirs, stop_event=stop, yield_on_timeout=True, rust_timeout=200, raise_interrupt=False
        ):
            ready.set()
            if changes:
                events.put(("saved", {Path(path) for _, path in changes}))
    except Exception as exc:  # the loop must say why saves are no longer seen, not hang silently
        events.put(("error", exc))
    finally:
        ready.set()


def watch(course: Course, stdin: TextIO, out: TextIO, run: Runner = run_public) -> int:
    """Run the watch loop until ``q`` or the end of ``stdin``; exit status 0.

    Example: ``watch(course, sys.stdin, sys.stdout)``
    """
    session = WatchSession(course, out, run)
    dirs = sorted({ex.exercise_dir for ex in course.exercises if ex.exercise_dir.is_dir()})
    events: queue.Queue[tuple[str, object]] = queue.Queue()
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(target=_watch_files, args=(dirs, events, stop, ready), daemon=True)
    watcher.start()
    ready.wait()
    try:
        if not session.start():
            return 0
        threading.Thread(target=_read_lines, args=(stdin, events), daemon=True).start()
        held: list[tuple[str, object]] = []
        while True:
            kind, value = held.pop() if held else events.get()
            if kind == "saved":
                paths = set(value)  # type: ignore[call-overload]
                # Saves made while the tests ran come as one re-run, not one per save.
                while not held:
                    try:
                        more_kind, more = events.get_nowait()
                    except queue.Empty:
                        break
                    if more_kind == "saved":
                        paths |= set(more)  # type: ignore[call-overload]
                    else:
                        held.append((more_kind, more))  # a typed command keeps its place
                session.on_saved(paths)
            elif kind == "line":
                if not session.on_line(str(value)):
                    return 0
            elif kind == "eof":
                return 0
            elif kind == "error":
                out.write(f"course watch: watching files failed: {value}\n")
                return 1
    except KeyboardInterrupt:
        out.write("\n")
        return 0
    finally:
        stop.set()
        watcher.join(timeout=5)
