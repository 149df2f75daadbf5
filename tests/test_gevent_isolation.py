"""gevent_sockets' graders leave the rest of the suite unpatched.

A student's gevent_sockets.py monkey-patches whatever process imports it, and `make check` runs every
exercise's public tests in ONE pytest process: were the graders to import it, every later test would
run on patched sockets, threads and time.sleep. They run it in a child process instead. This test
holds them to it: one graded pytest session runs gevent_sockets' public and hidden tests against
the reference solution (which patches), then, in that same process, a probe that finds nothing
patched.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SLUG = "gevent_sockets"

PROBE = textwrap.dedent(
    '''
    """Runs after gevent_sockets' tests, in the same process: nothing may be monkey-patched."""

    import _thread
    import select
    import socket
    import sys
    import threading
    import time

    MODULES = ("socket", "ssl", "select", "selectors", "time", "threading", "_thread", "queue",
               "subprocess", "os", "signal")


    def test_nothing_is_monkey_patched():
        monkey = sys.modules.get("gevent.monkey")  # None: gevent.monkey was never imported here
        patched = [m for m in MODULES if monkey is not None and monkey.is_module_patched(m)]
        assert patched == [], f"monkey-patched in the pytest process: {patched}"
        assert socket.socket.__module__ == "socket", socket.socket
        assert socket.create_connection.__module__ == "socket", socket.create_connection
        assert type(time.sleep).__name__ == "builtin_function_or_method", time.sleep
        assert type(select.select).__name__ == "builtin_function_or_method", select.select
        assert threading.Lock is _thread.allocate_lock, threading.Lock
        assert type(_thread.start_new_thread).__name__ == "builtin_function_or_method"
        assert "gevent" not in type(threading.current_thread()).__module__
    '''
)


# 2-10 s: eight grading subprocesses, each starting Python and importing gevent.
@pytest.mark.slow
def test_gevent_graders_leave_the_pytest_process_unpatched(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe_unpatched.py"
    probe.write_text(PROBE)
    report = tmp_path / "report.jsonl"
    command = [
        sys.executable, "-m", "pytest", "-c", "grader/grading.ini", "--rootdir", ".",
        "--course-manifest", "course.yml",
        "--course-file", f"{SLUG}=solutions/{SLUG}/{SLUG}.py",
        "--course-report", str(report),
        f"exercises/{SLUG}", f"solutions/{SLUG}/hidden", str(probe),
    ]  # fmt: skip
    proc = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=240)
    records = [json.loads(line) for line in report.read_text().splitlines() if line.startswith("{")]
    tests = [r for r in records if r.get("event") == "test"]
    outcome = {r["name"]: r["status"] for r in tests}
    assert proc.returncode == 0, f"{outcome}\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}"
    # The probe ran last, after every gevent_sockets test, all in that one process.
    assert tests[-1]["name"] == "test_nothing_is_monkey_patched", outcome
    gevent_tests = [r for r in tests[:-1] if r["exercise"] == SLUG]
    assert len(gevent_tests) == len(tests) - 1 >= 8, outcome
    assert set(outcome.values()) == {"passed"}, outcome
