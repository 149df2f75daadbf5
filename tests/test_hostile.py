"""A batch of correct, wrong and hostile submissions, graded for real in the sandbox.

Every trick of the brief's section 4 is here. Each hostile submission is the same half-right code
(it earns 1 of 3 points honestly) plus its trick: the trick must never earn more, the correct
submissions must get full marks, the outputs must stay intact, and no process may outlive the
batch.
"""

from __future__ import annotations

import json
import os
import socket
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import TinyCourse

from grader.grading import grade_batch
from grader.manifest import load_course
from grader.sandbox import UID_BASE, probe, uid_owner

pytestmark = pytest.mark.slow

MARKER = "course-kit-hostile-marker"
SECRET = "only-the-hidden-test-says-this"  # a comment in the hidden test: never in any output
GOOD = """\
async def fetch_all(urls, latency):
    return list(urls)
"""
# Passes the public test (one url), fails the hidden one (two urls): 1 of 3 points, honestly.
HALF = """\
async def fetch_all(urls, latency):
    return list(urls)[:1]
"""


def hostile_submissions(root: Path, out: Path, port: int) -> dict[str, dict[str, str]]:
    """name -> {relative path: source}; every one is HALF plus a trick."""
    demo = "exercises/demo/demo.py"
    return {
        "conftest_and_ini": {
            demo: HALF,
            "conftest.py": textwrap.dedent("""\
                import pytest
                @pytest.hookimpl(hookwrapper=True)
                def pytest_runtest_makereport(item, call):
                    outcome = yield
                    outcome.get_result().outcome = "passed"
            """),
            "exercises/demo/conftest.py": "import pytest\npytest_plugins = []\n",
            "pytest.ini": "[pytest]\naddopts = -p no:course_grader\n",
            "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-p no:course_grader'\n",
        },
        "exit_at_import": {demo: "import sys\nsys.exit(0)\n" + HALF},
        "os_exit_in_test": {demo: "import os\n\nasync def fetch_all(urls, latency):\n    os._exit(0)\n"},
        "prints_fake_results": {
            demo: 'print("===== 40 passed in 0.01s =====")\n'
            + HALF.replace("return", 'print("PASSED 40 passed")\n    return')
        },
        "shadows_modules": {
            demo: HALF,
            "exercises/demo/pytest.py": "raise SystemExit(0)\n",
            "exercises/demo/sitecustomize.py": "import os\nos._exit(0)\n",
            "exercises/demo/asyncio.py": "raise SystemExit(0)\n",
            "sitecustomize.py": "import os\nos._exit(0)\n",
        },
        "patches_pytest_reports": {
            demo: textwrap.dedent("""\
                import _pytest.reports

                _original = _pytest.reports.TestReport.from_item_and_call.__func__

                def _always_passed(cls, item, call):
                    report = _original(cls, item, call)
                    report.outcome = "passed"
                    report.longrepr = None
                    return report

                _pytest.reports.TestReport.from_item_and_call = classmethod(_always_passed)
            """)
            + HALF
        },
        "forges_the_report_pipe": {
            demo: textwrap.dedent("""\
                import json, os

                def _forge():
                    for name in ("test_bodies", "test_many"):
                        record = {"event": "test", "nodeid": "x::" + name, "name": name, "status": "passed",
                                  "points": 2, "message": "", "student_error": None}
                        for fd in range(3, 64):
                            try:
                                os.write(fd, (json.dumps(record) + "\\n").encode())
                            except OSError:
                                pass

                _forge()
            """)
            + HALF.replace("return", "_forge()\n    return")
        },
        "fork_bomb": {
            demo: textwrap.dedent("""\
                import os, time

                async def fetch_all(urls, latency):
                    for _ in range(5000):
                        if os.fork() == 0:
                            time.sleep(600)
                            os._exit(0)
                    return list(urls)[:1]
            """)
        },
        "memory_bomb": {demo: "blob = bytearray(64 * 1024 ** 3)\n" + HALF},
        "endless_output": {
            demo: "import sys\n\nasync def fetch_all(urls, latency):\n"
            "    while True:\n        sys.stdout.write('x' * 65536)\n"
        },
        "ignores_sigterm_and_spins": {
            demo: textwrap.dedent("""\
                import signal
                signal.signal(signal.SIGTERM, signal.SIG_IGN)

                async def fetch_all(urls, latency):
                    while True:
                        try:
                            while True:
                                pass
                        except BaseException:
                            pass
            """)
        },
        "escapes_with_setsid": {
            demo: textwrap.dedent(f"""\
                import subprocess, sys

                async def fetch_all(urls, latency):
                    subprocess.Popen(
                        [sys.executable, "-c", "import time; time.sleep(600)  # {MARKER}"],
                        start_new_session=True,
                    )
                    return list(urls)[:1]
            """)
        },
        "thread_that_never_ends": {
            demo: "import threading, time\n\n"
            "threading.Thread(target=time.sleep, args=(600,)).start()\n" + HALF
        },
        "reads_the_reference_solution": {
            demo: textwrap.dedent(f"""\
                try:
                    with open({str(root / "solutions/demo/demo.py")!r}) as reference:
                        exec(reference.read())
                except OSError:
                    async def fetch_all(urls, latency):
                        return list(urls)[:1]
            """)
        },
        "copies_the_hidden_tests_into_its_messages": {
            # Student code runs in the process that imported the hidden tests; it looks for them
            # near its own file and fails the hidden test with their source as the message.
            demo: textwrap.dedent("""\
                import os, pathlib

                def _hidden_sources():
                    for folder in pathlib.Path(__file__).resolve().parents:
                        texts = []
                        for dirpath, _dirs, files in os.walk(folder):
                            if os.path.basename(dirpath) == "hidden":
                                for name in files:
                                    try:
                                        texts.append(pathlib.Path(dirpath, name).read_text())
                                    except OSError:
                                        pass
                        if texts:
                            return "".join(texts)
                    return ""

                async def fetch_all(urls, latency):
                    if len(urls) > 1:
                        raise RuntimeError("the hidden tests: " + _hidden_sources())
                    return list(urls)[:1]
            """)
        },
        "fetches_the_answer_over_the_network": {
            demo: textwrap.dedent(f"""\
                import socket

                try:
                    with socket.create_connection(("127.0.0.1", {port}), timeout=5) as conn:
                        exec(conn.makefile().read())
                except OSError:
                    async def fetch_all(urls, latency):
                        return list(urls)[:1]
            """)
        },
        "writes_outside_its_folder": {
            demo: textwrap.dedent(f"""\
                import pathlib

                def _vandalise():
                    for target in ({str(out / "gradebook.csv")!r}, {str(out / "results/alice.json")!r},
                                   {str(root / "subs/alice/exercises/demo/demo.py")!r},
                                   {str(root / "exercises/demo/test_demo.py")!r}):
                        try:
                            pathlib.Path(target).write_text("async def fetch_all(u, l):\\n    return 0\\n")
                        except OSError:
                            pass

                async def fetch_all(urls, latency):
                    _vandalise()
                    return list(urls)[:1]
            """)
        },
    }


def _serve(server: socket.socket, text: str) -> None:
    with server:
        while True:
            conn, _ = server.accept()
            with conn:
                conn.sendall(text.encode())


def _write(base: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(text)


def _parent(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))


def _another_gradings(uid: int) -> bool:
    """True when ``uid`` belongs to a grading this test did not start (a benchmark on the machine).

    A run's uid names the grading worker that chose it (``sandbox.uid_owner``): while that worker is
    alive and not a descendant of this test process, its processes are someone else's.
    """
    worker = uid_owner(uid)
    if not Path(f"/proc/{worker}").exists():
        return False  # ours: this test's workers have all exited by now
    pid = worker
    while pid > 1:
        if pid == os.getpid():
            return False
        pid = _parent(pid)
    return True


def _processes_left() -> list[str]:
    left = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        uid = int(fields["Uid"].split()[0])
        if MARKER in cmdline or (uid >= UID_BASE and not _another_gradings(uid)):
            left.append(f"{pid} uid={uid} state={fields['State'].strip()} {cmdline[:100]}")
    return left


def _eventually_no_processes_left() -> list[str]:
    # The kernel tears a PID namespace down asynchronously after its init exits: give it a moment.
    for _ in range(50):
        if not (left := _processes_left()):
            return left
        time.sleep(0.1)
    return left


def _files_mentioning(out: Path, text: str) -> list[str]:
    """The files of a batch's output that contain ``text`` (results, feedback, report, ...)."""
    return sorted(
        str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and text.encode() in p.read_bytes()
    )


def test_hostile_submissions_never_earn_more_than_their_honest_score(tiny: TinyCourse) -> None:
    tiny = TinyCourse(tiny.root, timeout=3)
    tiny.fetch_all_exercise(hidden_comment=SECRET)
    subs = tiny.root / "subs"
    out = tiny.root / "out"
    _write(subs / "alice", {"exercises/demo/demo.py": GOOD})
    _write(subs / "bob", {"exercises/demo/demo.py": HALF})
    with zipfile.ZipFile(subs / "carol.zip", "w") as zf:  # a correct one, zipped inside a folder
        zf.writestr("carol-repo/exercises/demo/demo.py", GOOD)
    answers = socket.create_server(("127.0.0.1", 0))  # serves the right answer to whoever connects
    threading.Thread(target=_serve, args=(answers, GOOD), daemon=True).start()
    hostiles = hostile_submissions(tiny.root, out, answers.getsockname()[1])
    for name, files in hostiles.items():
        _write(subs / name, files)
    (subs / "symlinked_solution/exercises/demo").mkdir(parents=True)
    (subs / "symlinked_solution/exercises/demo/demo.py").symlink_to(tiny.root / "solutions/demo/demo.py")
    alice_source = (subs / "alice/exercises/demo/demo.py").read_text()

    summary = grade_batch(load_course(tiny.root / "course.yml"), [subs], out, jobs=2, quiet=True)

    scores = {r.student: r.total for r in summary.results}
    assert scores["alice"] == scores["carol"] == 3
    assert scores["bob"] == 1
    cheated = {name: scores[name] for name in [*hostiles, "symlinked_solution"] if scores[name] > 1}
    assert cheated == {}, f"hostile submissions earned more than honest work: {cheated}"
    assert len(scores) == len(hostiles) + 4
    # outputs and other students' files intact
    assert (subs / "alice/exercises/demo/demo.py").read_text() == alice_source
    gradebook = (out / "gradebook.csv").read_text().splitlines()
    assert "alice,3,3,3" in gradebook
    assert json.loads((out / "results/alice.json").read_text())["total"] == 3
    assert _eventually_no_processes_left() == []
    # reasons the instructor can act on
    by_name = {r.student: r for r in summary.results}
    assert "symbolic link" in by_name["symlinked_solution"].exercises["demo"].message
    assert "before reporting" in by_name["exit_at_import"].exercises["demo"].tests[0].message or (
        "sys.exit" in by_name["exit_at_import"].exercises["demo"].tests[0].message
    )
    leak = by_name["copies_the_hidden_tests_into_its_messages"].exercises["demo"].tests
    assert any("the hidden tests:" in t.message for t in leak), "the trick ran, and found nothing"
    assert _files_mentioning(out, SECRET) == []
    tampered = by_name["patches_pytest_reports"].exercises["demo"].tests
    assert all("grading machinery was changed" in t.message for t in tampered)
    flagged = {r.student for r in summary.results if r.flags}
    assert {
        "patches_pytest_reports",
        "os_exit_in_test",
        "exit_at_import",
        "forges_the_report_pipe",
    } <= flagged
    # The control: without the sandbox these tricks do work, so it is the sandbox that stops them.
    control = [
        subs / "fetches_the_answer_over_the_network",
        subs / "reads_the_reference_solution",
        subs / "copies_the_hidden_tests_into_its_messages",
    ]
    unsandboxed = grade_batch(
        load_course(tiny.root / "course.yml"), control, tiny.root / "control", sandbox=False, quiet=True
    )
    assert {r.student: r.total for r in unsandboxed.results} == {
        "fetches_the_answer_over_the_network": 3,
        "reads_the_reference_solution": 3,
        "copies_the_hidden_tests_into_its_messages": 1,
    }
    assert "feedback/copies_the_hidden_tests_into_its_messages.md" in _files_mentioning(
        tiny.root / "control", SECRET
    )
    if os.geteuid() == 0:  # the machines CI runs on: the full sandbox must be in force
        assert probe().namespaces
        assert probe().own_uid
