"""The grading plugin (pytest11 entry point ``course_grader``): what every grader stands on.

For each test it provides, in the order a test meets them:

1. **setup**: a ``Guard`` for the test (watchdog, loop exception recorder) and the ``student``
   fixture, which imports the student's file afresh and turns a broken file into a one-line error;
2. **the loop**: pytest-asyncio asks this plugin for its loop factory; tests get a ``GradingLoop``
   on virtual time (``@pytest.mark.real_time`` for the real clock);
3. **call**: coroutine origin tracking and warning capture around the test; afterwards blocking
   stalls, never-awaited coroutines, unretrieved exceptions and leaked tasks fail the test with a
   message that teaches;
4. **hangs**: pytest-timeout (signal method) per test, plus ``faulthandler``'s hard exit as the
   layer nothing can cancel; the runner notices a test that began and never reported, and goes on;
5. **report**: ``--course-report`` receives the versioned JSON records of ``grader.results``.

Markers: ``exercise(slug)``, ``points(n)``, ``real_time``. Options are listed by ``pytest --help``
under "course grader"; ini values ``course_blocking_threshold``, ``course_hard_timeout_grace`` and
``course_start_method``.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import gc
import multiprocessing
import os
import shutil
import sys
import traceback
import warnings
from collections.abc import Generator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from grader import hygiene, integrity, seal
from grader.blocking import LoopBlocked, Watchdog
from grader.loop import GradingLoop, install_wrap_future_hook
from grader.manifest import Course, Exercise, ManifestError, find_course_file, load_course
from grader.results import RESULT_VERSION, open_report
from grader.student import StudentCodeError, compile_student_file, load_student_module

OPTION_HELP = {
    "course_manifest": "course.yml to read exercises from (default: the nearest one above rootdir)",
    "course_submission": "directory holding the student's files (default: the course's root)",
    "course_file": "grade FILE as exercise SLUG's student file (SLUG=FILE; repeatable)",
    "course_report": "write versioned JSON result records to PATH, or to fd:N (an inherited pipe)",
    "course_token": "fd:N to read a secret from (then closed); every record carries it",
    "course_blocking_threshold": "seconds the loop may run one step before it counts as blocked",
    "course_hard_timeout_grace": "seconds past a test's timeout before the process is killed",
    "course_start_method": "multiprocessing start method of graded runs: spawn (default), forkserver, fork",
}
DEFAULT_BLOCKING_THRESHOLD = 0.25
DEFAULT_HARD_GRACE = 15.0
DEFAULT_TIMEOUT = 30.0
COROUTINE_ORIGIN_DEPTH = 16

_GUARD_KEY = pytest.StashKey["Guard"]()
_REPORT_STREAM_KEY = pytest.StashKey[Any]()
_TIMEOUT_MESSAGE_MARK = "from pytest-timeout"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("course grader")
    group.addoption("--course-manifest", metavar="PATH", help=OPTION_HELP["course_manifest"])
    group.addoption("--course-submission", metavar="DIR", help=OPTION_HELP["course_submission"])
    group.addoption(
        "--course-file", metavar="SLUG=FILE", action="append", default=[], help=OPTION_HELP["course_file"]
    )
    group.addoption("--course-report", metavar="PATH", help=OPTION_HELP["course_report"])
    group.addoption("--course-token", metavar="fd:N", help=OPTION_HELP["course_token"])
    parser.addini(
        "course_blocking_threshold",
        OPTION_HELP["course_blocking_threshold"],
        default=str(DEFAULT_BLOCKING_THRESHOLD),
    )
    parser.addini(
        "course_hard_timeout_grace", OPTION_HELP["course_hard_timeout_grace"], default=str(DEFAULT_HARD_GRACE)
    )
    parser.addini("course_start_method", OPTION_HELP["course_start_method"], default="spawn")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "exercise(slug): the exercise of course.yml whose student file this test grades"
    )
    config.addinivalue_line("markers", "points(n): points this test is worth when it passes (default 1)")
    config.addinivalue_line(
        "markers", "real_time: run on the real clock instead of virtual time (threads started by hand)"
    )
    config.stash[_SETTINGS_KEY] = Settings.from_config(config)
    _use_start_method(config)
    install_wrap_future_hook()
    target = config.getoption("course_report")
    if target:
        reporter = ResultReporter(open_report(target), _read_token(config.getoption("course_token")))
        config.pluginmanager.register(reporter, "course-grader-reporter")
        config.stash[_REPORT_STREAM_KEY] = reporter.stream


def _read_token(spec: str | None) -> str | None:
    """The run's secret, read once from an inherited pipe before any student code runs.

    The runner keeps only records that carry it, so bytes a submission writes to the report
    pipe (it can find the descriptor) are dropped. Code that digs the secret out of this
    process's memory gets past this; ``grader.tamper`` flags the tools for that.
    """
    if not spec:
        return None
    if not spec.startswith("fd:"):
        raise pytest.UsageError(f"--course-token expects fd:N, got {spec!r}")
    with os.fdopen(int(spec[3:]), "r", encoding="ascii") as pipe:
        return pipe.read().strip()


def _use_start_method(config: pytest.Config) -> None:
    """Make student code start processes the portable way (``spawn`` unless the ini says otherwise).

    ``fork`` copies a process in which the plugin's watchdog thread runs, which can deadlock the
    child and, from Python 3.12, warns (an error under ``filterwarnings = error``) on some versions
    only; ``spawn`` is what macOS and Windows use, and what proves the student's functions pickle.
    A student who asks for ``fork`` explicitly still gets it, without a version-dependent warning.
    """
    method = config.getini("course_start_method")
    if method not in multiprocessing.get_all_start_methods():
        raise pytest.UsageError(
            f"ini option course_start_method must be one of {multiprocessing.get_all_start_methods()}, "
            f"got {method!r}"
        )
    multiprocessing.set_start_method(method, force=True)
    config.addinivalue_line("filterwarnings", "ignore:This process .* is multi-threaded:DeprecationWarning")


def pytest_report_header(config: pytest.Config) -> list[str]:
    s: Settings = config.stash[_SETTINGS_KEY]
    course = s.manifest_path or "(none found)"
    return [f"course grader: manifest={course}, blocking threshold={s.blocking_threshold}s, virtual time on"]


# -- settings -------------------------------------------------------------------------------------


class Settings:
    """The plugin's settings, resolved once from options and ini, each validated where it came from."""

    def __init__(
        self,
        manifest_path: Path | None,
        submission: Path | None,
        overrides: dict[str, Path],
        blocking_threshold: float,
        hard_grace: float,
    ) -> None:
        self.manifest_path = manifest_path
        self.submission = submission
        self.overrides = overrides
        self.blocking_threshold = blocking_threshold
        self.hard_grace = hard_grace
        self._course: Course | None = None

    @classmethod
    def from_config(cls, config: pytest.Config) -> Settings:
        manifest = config.getoption("course_manifest")
        manifest_path = Path(manifest).resolve() if manifest else find_course_file(config.rootpath)
        submission = config.getoption("course_submission")
        overrides: dict[str, Path] = {}
        for spec in config.getoption("course_file"):
            slug, sep, file = spec.partition("=")
            if not sep or not slug or not file:
                raise pytest.UsageError(f"--course-file expects SLUG=FILE, got {spec!r}")
            overrides[slug] = Path(file).resolve()
        return cls(
            manifest_path,
            Path(submission).resolve() if submission else None,
            overrides,
            _positive_float(config, "course_blocking_threshold"),
            _positive_float(config, "course_hard_timeout_grace"),
        )

    def course(self) -> Course:
        if self._course is None:
            if self.manifest_path is None:
                raise pytest.UsageError("no course.yml found: pass --course-manifest")
            try:
                # Student releases and graded submissions may lack solutions: do not insist.
                self._course = load_course(self.manifest_path, check_files=False)
            except ManifestError as exc:
                raise pytest.UsageError(str(exc)) from None
        return self._course

    def student_file(self, exercise: Exercise) -> Path:
        if exercise.slug in self.overrides:
            return self.overrides[exercise.slug]
        root = self.submission or exercise.root
        return root / exercise.path


_SETTINGS_KEY = pytest.StashKey[Settings]()


def _positive_float(config: pytest.Config, name: str) -> float:
    raw = config.getini(name)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = -1.0
    if value <= 0:
        raise pytest.UsageError(f"ini option {name} must be a positive number, got {raw!r}")
    return value


def _marker_arg(item: pytest.Item, name: str, default: Any = None) -> Any:
    marker = item.get_closest_marker(name)
    if marker is None:
        return default
    if len(marker.args) != 1:
        raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.{name} takes exactly one argument")
    return marker.args[0]


# -- collection: timeouts per exercise, points validated ----------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    settings: Settings = config.stash[_SETTINGS_KEY]
    for item in items:
        points = _marker_arg(item, "points", 1)
        if isinstance(points, bool) or not isinstance(points, int | float) or points < 0:
            raise pytest.UsageError(f"{item.nodeid}: points must be a non-negative number")
        slug = _marker_arg(item, "exercise")
        if slug is None or item.get_closest_marker("timeout") is not None:
            continue
        try:
            exercise = settings.course().exercise(slug)
        except KeyError as exc:
            raise pytest.UsageError(f"{item.nodeid}: {exc.args[0]}") from None
        if exercise.timeout is not None:
            item.add_marker(pytest.mark.timeout(exercise.timeout))
        elif config.getini("timeout") in (None, "", 0, "0"):
            item.add_marker(pytest.mark.timeout(settings.course().grading.timeout))


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    # Every test module is imported now, and no student code has run yet: from here on the hidden
    # tests' files read as empty, so a submission cannot copy them into its messages.
    try:
        seal.seal_hidden_tests()
    except seal.SealFailed as exc:
        pytest.exit(f"{exc}: not grading with the hidden tests readable", returncode=3)


# -- the per-test guard -----------------------------------------------------------------------------


class Guard:
    """Everything watched during one test: its loops, the watchdog, the exception recorder."""

    def __init__(self, threshold: float) -> None:
        self.watchdog = Watchdog(threshold=threshold)
        self.recorder = hygiene.LoopRecorder()
        self.loops: list[GradingLoop] = []
        self.student_files: set[str] = set()

    def new_loop(self, virtual: bool) -> GradingLoop:
        loop = GradingLoop(virtual=virtual, observer=self.watchdog)
        loop.set_exception_handler(self.recorder)
        self.loops.append(loop)
        return loop

    def add_student_file(self, path: Path) -> None:
        real = os.path.realpath(path)
        self.student_files.add(real)
        self.watchdog.add_student_file(real)


def _current_guard() -> Guard:
    guard = _ACTIVE.get("guard")
    if guard is None:  # a loop made outside a test (a session fixture): watch it all the same
        guard = Guard(DEFAULT_BLOCKING_THRESHOLD)
        _ACTIVE["guard"] = guard
    return guard


_ACTIVE: dict[str, Guard | None] = {"guard": None}


def _virtual_factory() -> GradingLoop:
    return _current_guard().new_loop(virtual=True)


def _real_factory() -> GradingLoop:
    return _current_guard().new_loop(virtual=False)


@pytest.hookimpl(tryfirst=True)
def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    """Hand pytest-asyncio the grading loop: virtual time unless the test is ``real_time``."""
    if item.get_closest_marker("real_time") is not None:
        return {"real_time": _real_factory}
    return {"virtual_time": _virtual_factory}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    settings: Settings = item.config.stash[_SETTINGS_KEY]
    guard = Guard(settings.blocking_threshold)
    item.stash[_GUARD_KEY] = guard
    _ACTIVE["guard"] = guard
    item.user_properties.append(("points", _marker_arg(item, "points", 1)))
    item.user_properties.append(("exercise", _marker_arg(item, "exercise")))
    timeout = _item_timeout(item)
    # The layer nothing can cancel: if the test (teardown included) is still running past its
    # timeout plus a grace period, dump the stacks and end the process. The runner sees a test
    # that began and never reported, records it as timed out, and runs the rest again.
    # Its dump goes to the report channel (the reader skips lines that are not records), where
    # the runner reads "Timeout (" as the sign of a hard timeout; pytest's capture would swallow it.
    dump_to = item.config.stash.get(_REPORT_STREAM_KEY, None) or sys.__stderr__
    faulthandler.dump_traceback_later(timeout + settings.hard_grace, exit=True, file=dump_to)
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()
        guard.watchdog.stop()
        _ACTIVE["guard"] = None
        _finalise_leftovers()


def _finalise_leftovers() -> None:
    """Let go of what a failed test keeps alive, so it is finalised now and not in the next test.

    pytest keeps the last failure in ``sys.last_traceback`` (for post-mortem debugging); its frames
    hold the failed test's coroutines. Were they collected during the next test, their "never
    awaited" warnings would fail a test that did nothing wrong. This test has already reported.
    """
    for name in ("last_type", "last_value", "last_traceback", "last_exc"):
        if hasattr(sys, name):
            delattr(sys, name)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        hygiene.collect_garbage()
    # What is still alive now outlived a whole test (modules, fixtures, pytest's own state): move it
    # out of the collector's sight, so the next test's collections scan only what it creates. A
    # graded run loads every exercise's libraries (gevent, trio, greenlet...) and collects six
    # times a test; scanning all of that each time was most of a submission's grading time.
    gc.freeze()


def _item_timeout(item: pytest.Item) -> float:
    marker = item.get_closest_marker("timeout")
    if marker is not None and marker.args:
        return float(marker.args[0])
    raw = item.config.getini("timeout")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = 0.0
    return value if value > 0 else DEFAULT_TIMEOUT


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    guard: Guard = item.stash[_GUARD_KEY]
    previous_depth = sys.get_coroutine_origin_tracking_depth()
    sys.set_coroutine_origin_tracking_depth(COROUTINE_ORIGIN_DEPTH)
    error: BaseException | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = yield
        except BaseException as exc:
            error = exc
            result = None
        if not _is_timeout(error):
            for loop in guard.loops:
                hygiene.settle(loop, grace=5.0)
            # Leaked tasks first: cancelling them may finalise coroutines and tasks.
            leaked = [t for loop in guard.loops for t in hygiene.leaked_tasks(loop)]
            for loop in guard.loops:
                hygiene.stop_tasks(loop, [t for t in leaked if t.get_loop() is loop], grace=5.0)
            if error is not None:
                # A coroutine the failing code kept in a local lives on in the traceback's frames:
                # free them, so its "never awaited" is found now and explains the failure.
                traceback.clear_frames(error.__traceback__)
            hygiene.collect_garbage()
        else:
            leaked = []
    sys.set_coroutine_origin_tracking_depth(previous_depth)
    message = _verdict(guard, caught, leaked, error)
    if message is not None:
        pytest.fail(message, pytrace=False)
    if error is not None:
        raise error
    for rec in caught:  # warnings that are not verdicts go back to pytest's own filters
        warnings.warn_explicit(rec.message, rec.category, rec.filename, rec.lineno, source=rec.source)
    return result


def _is_timeout(error: BaseException | None) -> bool:
    return error is not None and _TIMEOUT_MESSAGE_MARK in str(error)


def _verdict(
    guard: Guard,
    caught: list[warnings.WarningMessage],
    leaked: list[asyncio.Task],
    error: BaseException | None,
) -> str | None:
    """The teaching message that replaces the test's own outcome, or None to keep it."""
    files = guard.student_files
    blocking = [e.message() for e in guard.watchdog.events]
    unawaited, other_warnings = hygiene.unawaited_findings(caught, files)
    caught[:] = other_warnings
    findings = [
        *unawaited,
        *hygiene.context_findings(guard.recorder.contexts, files),
        *hygiene.leaked_findings(leaked, files),
    ]
    if isinstance(error, LoopBlocked) and not blocking:
        blocking = ["your code blocked the event loop and was stopped by the grader."]
    parts = blocking[:1] + [f.message for f in findings]
    if not parts:
        return None
    if error is not None and not isinstance(error, LoopBlocked):
        own = _short_error(error)
        if own:
            parts.append(f"(the test itself then reported: {own})")
    return "\n".join(parts)


def _short_error(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    if isinstance(error, AssertionError) or type(error).__name__ == "Failed":
        return first
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture
def exercise(request: pytest.FixtureRequest) -> Exercise:
    """The course.yml entry named by the test's ``@pytest.mark.exercise(slug)``."""
    settings: Settings = request.config.stash[_SETTINGS_KEY]
    slug = _marker_arg(request.node, "exercise")
    if slug is None:
        raise pytest.UsageError(
            f"{request.node.nodeid}: mark the test module with pytestmark = "
            f"pytest.mark.exercise('slug') to use the student fixture"
        )
    return settings.course().exercise(slug)


@pytest.fixture
def student(
    request: pytest.FixtureRequest, exercise: Exercise, tmp_path_factory: pytest.TempPathFactory
) -> Generator[Any, None, None]:
    """The student's module for this test's exercise, imported afresh.

    For the test's duration the module is also importable by its name, so that the student's
    functions pickle by reference into a ``ProcessPoolExecutor`` or a ``spawn``-ed process.

    Example::

        pytestmark = pytest.mark.exercise("fix_blocking")

        async def test_returns_bodies(student):
            assert await student.fetch("a", 0.1) == "<html>a</html>"
    """
    settings: Settings = request.config.stash[_SETTINGS_KEY]
    path = settings.student_file(exercise)
    guard: Guard = request.node.stash[_GUARD_KEY]
    guard.add_student_file(path)
    try:
        module = load_student_module(path, exercise.api, name=exercise.module_name)
    except StudentCodeError as exc:
        request.node.user_properties.append(("student_error", exc.kind))
        pytest.fail(exc.message, pytrace=False)
    with importable(module, path, tmp_path_factory.mktemp("importable")):
        yield module


@pytest.fixture
def student_path(request: pytest.FixtureRequest, exercise: Exercise) -> Path:
    """The path of the student's file for this test's exercise, compiled but NOT imported.

    A missing file or a syntax error fails the test in setup with the same one-line message as
    ``student`` gives.

    For graders that must run the student's code in a process of its own (code that monkey-patches
    the whole interpreter, as gevent does, must never be imported into the grading process).

    Example::

        def test_replies(student_path, tmp_path):
            subprocess.run([sys.executable, "-I", DRIVER, str(student_path)], check=True)
    """
    settings: Settings = request.config.stash[_SETTINGS_KEY]
    path = Path(settings.student_file(exercise))
    request.node.stash[_GUARD_KEY].add_student_file(path)
    try:
        compile_student_file(path)
    except StudentCodeError as exc:
        request.node.user_properties.append(("student_error", exc.kind))
        pytest.fail(exc.message, pytrace=False)
    return path


@contextlib.contextmanager
def importable(module: ModuleType, path: Path, scratch: Path) -> Generator[None, None, None]:
    """Make ``module`` importable by its name, here and in child processes, until the block ends.

    Pickle finds a function through ``sys.modules[fn.__module__]`` and insists on the very same
    object, so this process needs the module registered; a ``spawn``-ed child imports it afresh
    from ``sys.path``, so a copy named after the module goes into ``scratch``, a directory that
    holds nothing else. It goes first on the path, ahead of the test directories that pytest
    inserted (which hold the starter of the same name); the manifest refuses exercise files named
    like a standard or kit module, and nothing else of the submission's folder becomes importable.

    Example::

        with importable(module, Path("wrong/no_pool.py"), tmp_path):
            pickle.dumps(module.square)
    """
    name = module.__name__
    shutil.copyfile(path, scratch / f"{name}.py")
    entry = str(scratch)
    previous = sys.modules.get(name)
    sys.modules[name] = module
    sys.path.insert(0, entry)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            sys.path.remove(entry)
        if sys.modules.get(name) is module:
            if previous is not None:
                sys.modules[name] = previous
            else:
                del sys.modules[name]


# -- the result reporter ----------------------------------------------------------------------------


class ResultReporter:
    """Writes ``grader.results`` records: one per test once all its phases have reported."""

    def __init__(self, stream: Any, token: str | None = None) -> None:
        self.stream = stream
        self.token = token
        self._phases: dict[str, list[pytest.TestReport]] = {}
        self._intact = integrity.Snapshot()
        self._tampered: list[str] = []
        self._write({"event": "start", "version": RESULT_VERSION})

    def _write(self, record: dict[str, Any]) -> None:
        if self.token:
            record["token"] = self.token
        self._intact.write_record(self.stream, record)  # the function as it was before any student code

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        self._write({"event": "begin", "nodeid": nodeid})

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self._phases.setdefault(report.nodeid, []).append(report)

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        reports = self._phases.pop(nodeid, [])
        if not reports:
            return
        record = self._intact.summarize(reports)
        self._tampered = self._tampered or self._intact.changed()
        if self._tampered:
            record.update(
                status="error",
                student_error="tamper",
                message=(
                    f"the grading machinery was changed while the tests ran ({', '.join(self._tampered)} "
                    f"replaced): this test and every later one count as failed, and your instructor is told"
                ),
            )
        self._write(record)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self._write(
                {
                    "event": "collect-error",
                    "nodeid": report.nodeid,
                    "message": str(report.longrepr)[-2000:],
                }
            )

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self._write({"event": "end", "exitstatus": int(exitstatus)})


def summarize(reports: list[pytest.TestReport]) -> dict[str, Any]:
    """Fold the setup/call/teardown reports of one test into one ``test`` record."""
    props = dict(reports[0].user_properties)
    status, message = "passed", ""
    for rep in reports:
        if rep.passed:
            continue
        text = _report_message(rep)
        if rep.skipped:
            status, message = "error", f"skipped: {text}"
        elif rep.when == "call":
            status = "timeout" if _TIMEOUT_MESSAGE_MARK in text else "failed"
            message = _timeout_message(text) if status == "timeout" else text
        elif status == "passed":
            status, message = "error", text
        break
    nodeid = reports[0].nodeid
    return {
        "event": "test",
        "nodeid": nodeid,
        "name": nodeid.rsplit("::", 1)[-1],
        "exercise": props.get("exercise"),
        "points": props.get("points", 1),
        "status": status,
        "message": message,
        "student_error": props.get("student_error"),
        "duration": round(sum(r.duration for r in reports), 4),
    }


def _report_message(rep: pytest.TestReport) -> str:
    longrepr = rep.longrepr
    if isinstance(longrepr, tuple):  # skips: (path, line, reason)
        return str(longrepr[2])
    crash = getattr(longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(longrepr)
    if text.startswith("Failed: "):
        text = text[len("Failed: ") :]
    if text.startswith("AssertionError: ") and "\nassert " in text:
        # The author wrote a message for the student: show it, not the test's own expression.
        text = text[len("AssertionError: ") : text.index("\nassert ")]
    return text.strip()[:2000]


def _timeout_message(text: str) -> str:
    # pytest-timeout says "Timeout (>2.0s) from pytest-timeout."; say it in words.
    seconds = text.split(">", 1)[-1].split("s)", 1)[0]
    return (
        f"timed out after {seconds} s: the code under test never finished (an endless loop, a "
        f"deadlock, or an await that is never woken?)"
    )
