"""course watch: the current exercise re-runs on every save, and typed keys answer."""

from __future__ import annotations

import io
import queue
import subprocess
import sys
import threading

import pytest
from conftest import GOOD_FETCH_ALL, TinyCourse

from grader.check import next_exercise
from grader.manifest import Course, Exercise, load_course
from grader.progress import Progress
from grader.results import ExerciseResult, TestResult
from grader.watch import KEYS, WatchSession

TWO_EXERCISES = """\
  - slug: second
    title: Second exercise
    module: basics
    path: exercises/second/second.py
    points: 1
    topics: [testing the kit]
    hints:
      - the second's hint
"""


def _two(tiny: TinyCourse) -> Course:
    (tiny.root / "course.yml").write_text((tiny.root / "course.yml").read_text() + TWO_EXERCISES)
    return load_course(tiny.root / "course.yml", check_files=False)


class FakeRun:
    """Stands in for the public tests: passes the exercises named in ``passing``, logs each run."""

    def __init__(self, passing: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.passing = set(passing)
        self.log: list[str] = []

    def __call__(self, course: Course, exercise: Exercise) -> ExerciseResult:
        self.log.append(exercise.slug)
        ok = exercise.slug in self.passing
        test = TestResult("test_it", "passed" if ok else "failed", int(ok), 1, "" if ok else "not yet")
        return ExerciseResult(exercise.slug, "passed" if ok else "failed", int(ok), 1, [test])


def test_the_current_exercise_is_the_first_not_done_and_next_wraps_round(tiny: TinyCourse) -> None:
    course = _two(tiny)
    progress = Progress(tiny.root / "s.json")
    assert next_exercise(course, progress).slug == "demo"
    assert next_exercise(course, progress, after="demo").slug == "second"
    assert next_exercise(course, progress, after="second").slug == "demo"
    progress.done["demo"] = True
    assert next_exercise(course, progress).slug == "second"
    progress.done["second"] = True
    assert next_exercise(course, progress) is None


def test_session_runs_on_its_own_file_only_and_answers_keys(tiny: TinyCourse) -> None:
    course = _two(tiny)
    out, run = io.StringIO(), FakeRun()
    session = WatchSession(course, out, run)
    assert session.start()
    assert "Hint 1/2 for demo:\n  first hint, the concept" in out.getvalue()
    session.on_saved({tiny.root / "exercises/second/second.py", tiny.root / "exercises/demo/x.pyc"})
    assert run.log == ["demo"], "a save of another file must not re-run the current exercise"
    session.on_saved({tiny.root / "exercises/demo/demo.py"})
    assert run.log == ["demo", "demo"]
    assert session.on_line("h\n")
    assert "Hint 2/2 for demo:" in out.getvalue(), "the first hint came with the first failure"
    assert out.getvalue().count("Hint 1/2") == 1, "the first hint is shown once, not on every save"
    assert session.on_line("l\n")
    assert "  demo    pending" in out.getvalue()
    assert session.on_line("n\n")
    assert run.log == ["demo", "demo", "second"]
    assert session.on_line("what\n")
    assert f"unknown command 'what'. {KEYS}" in out.getvalue()
    assert not session.on_line("q\n")


def test_a_pass_is_recorded_and_says_what_is_next(tiny: TinyCourse) -> None:
    course = _two(tiny)
    out = io.StringIO()
    session = WatchSession(course, out, FakeRun({"demo"}))
    session.start()
    assert "✓ demo passes its public tests. n: the next exercise." in out.getvalue()
    assert Progress.load(tiny.root / ".course-state.json").done == {"demo": True}


def test_nothing_to_watch_when_every_exercise_is_done(tiny: TinyCourse) -> None:
    course = _two(tiny)
    Progress(tiny.root / ".course-state.json", done={"demo": True, "second": True}).save()
    out = io.StringIO()
    assert not WatchSession(course, out, FakeRun()).start()
    assert "Every exercise passes its public tests" in out.getvalue()


class Lines:
    """The output of a process, line by line, waited for with a bound."""

    def __init__(self, stream: io.TextIOBase) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: io.TextIOBase) -> None:
        for line in stream:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 120) -> None:
        while not any(text in line for line in self.seen):
            try:
                self.seen.append(self.lines.get(timeout=timeout))
            except queue.Empty:
                seen = "".join(self.seen)
                raise AssertionError(f"no {text!r} within {timeout} s; output:\n{seen}") from None

    def mark(self) -> None:
        """Forget what was seen, so the next wait looks only at new output."""
        self.seen.clear()


# Slow: a real `course watch` process runs the tiny exercise's public tests twice, each in a
# pytest subprocess (a few seconds each on a loaded machine).
@pytest.mark.slow
def test_watch_reruns_the_exercise_when_its_file_is_saved(tiny: TinyCourse) -> None:
    tiny.fetch_all_exercise()
    proc = subprocess.Popen(
        [sys.executable, "-m", "grader.cli", "--course", str(tiny.root / "course.yml"), "watch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tiny.root,
    )
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        out = Lines(proc.stdout)
        out.wait_for("Watching demo: edit exercises/demo/demo.py")
        out.wait_for("  demo  ✗  Demo exercise  0/1 tests")
        out.wait_for(KEYS)  # the first run is over and the watcher was ready before it began
        out.mark()
        tiny.student(GOOD_FETCH_ALL)
        out.wait_for("  demo  ✓  Demo exercise  1/1 tests")
        out.wait_for("✓ demo passes its public tests")
        proc.stdin.write("q\n")
        proc.stdin.flush()
        out.wait_for("Bye.")
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
        proc.stdout.close()
    assert Progress.load(tiny.root / ".course-state.json").done == {"demo": True}
