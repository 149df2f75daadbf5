"""Every output of one batch: feedback, platform formats, the HTML report (in a real browser)."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conftest import TinyCourse

from grader import formats, report
from grader.cli import main
from grader.results import ExerciseResult, SubmissionResult, TestResult
from grader.tamper import scan_source

SECRET = "hidden-grader-source-never-shown"


def _result() -> SubmissionResult:
    tests = [
        TestResult("test_bodies", "passed", 1, 1, "", "exercises/demo/test_demo.py::test_bodies", "visible"),
        TestResult(
            "test_many", "failed", 0, 2, "keep the order", "solutions/demo/hidden/t.py::test_many", "hidden"
        ),
        TestResult(
            "test_hang", "timeout", 0, 1, "timed out", "solutions/demo/hidden/t.py::test_hang", "hidden"
        ),
    ]
    ex = ExerciseResult("demo", "failed", 1, 4, tests)
    missing = ExerciseResult(
        "other", "missing", 0, 5, [], "exercises/other/other.py was not in the submission"
    )
    return SubmissionResult("alice", {"demo": ex, "other": missing})


def test_gradescope_results_json_hides_hidden_tests_until_published() -> None:
    data = json.loads(formats.render("gradescope", _result()))
    assert data["score"] == 1
    assert [(t["name"], t["score"], t["max_score"], t["status"], t["visibility"]) for t in data["tests"]] == [
        ("demo: test_bodies", 1, 1, "passed", "visible"),
        ("demo: test_many", 0, 2, "failed", "after_published"),
        ("demo: test_hang", 0, 1, "failed", "after_published"),
        ("other", 0, 5, "failed", "visible"),
    ]


def test_exercism_results_json_uses_pass_fail_error() -> None:
    data = json.loads(formats.render("exercism", _result()))
    assert (data["version"], data["status"]) == (1, "fail")
    assert [(t["name"], t["status"]) for t in data["tests"]] == [
        ("demo::test_bodies", "pass"),
        ("demo::test_many", "fail"),
        ("demo::test_hang", "error"),
    ]


def test_junit_xml_has_one_suite_per_exercise_with_failures_and_errors() -> None:
    root = ET.fromstring(formats.render("junit", _result()))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert (suites["demo"].get("failures"), suites["demo"].get("errors")) == ("1", "1")
    assert suites["other"].find("testcase/error").get("message").endswith("was not in the submission")


@pytest.mark.parametrize(
    ("source", "construct"),
    [
        ("import os\nos._exit(0)\n", "os._exit"),
        ("import sys\nsys.exit(0)\n", "sys.exit() at import"),
        ("from os import _exit as bye\n", "os._exit"),
        ("import gc\n", "import gc"),
        ("import _pytest.reports\n", "import _pytest.reports"),
        ("import ctypes\n", "import ctypes"),
        ("import inspect\n", "import inspect"),
        ("import signal\n", "import signal"),
    ],
)
def test_tamper_scan_flags_constructs_for_review(source: str, construct: str) -> None:
    assert construct in [f["construct"] for f in scan_source(source, "x.py")]


def test_tamper_scan_leaves_ordinary_code_and_main_guards_alone() -> None:
    source = (
        "import asyncio, sys\n\nasync def f():\n    await asyncio.sleep(0)\n\n"
        "if __name__ == '__main__':\n    sys.exit(0)\n"
    )
    assert scan_source(source, "x.py") == []


def _graded_batch(tiny: TinyCourse) -> Path:
    tiny.fetch_all_exercise(hidden_comment=SECRET)
    subs = tiny.root / "subs"
    bodies = {
        "alice": "async def fetch_all(urls, latency):\n    return list(urls)\n",
        "bob": "async def fetch_all(urls, latency):\n    return list(urls)[:1]\n",
        "carol": "import gc\nasync def fetch_all(urls, latency):\n    return []\n",
        "dave": "async def fetch_all(urls, latency):\n    return list(urls)[:1]\n",
    }
    for name, body in bodies.items():
        (subs / name / "exercises/demo").mkdir(parents=True)
        (subs / name / "exercises/demo/demo.py").write_text(body)
    out = tiny.root / "out"
    assert (
        main(["--course", str(tiny.root / "course.yml"), "grade", str(subs), "--out", str(out), "--quiet"])
        == 0
    )
    return out


@pytest.mark.slow
def test_batch_outputs_teach_and_never_show_hidden_source(tiny: TinyCourse) -> None:
    out = _graded_batch(tiny)
    bob = (out / "feedback/bob.md").read_text()
    assert "**Total: 1/3**" in bob
    assert "`test_many` (hidden test): 0/2" in bob
    assert "every url, in order" in bob
    assert "Flagged" in (out / "feedback/carol.md").read_text()
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in {".md", ".json", ".html", ".csv"}:
            assert SECRET not in path.read_text(), path
    html = (out / "report.html").read_text()
    assert 'href="feedback/bob.md"' in html
    assert "import gc" in html  # carol is flagged for review


def test_report_loads_nothing_from_anywhere() -> None:
    html = report.render([_result()], list(load_course_stub()), ["downloads/notes.txt: not a submission"])
    assert not re.search(r"(?i)(https?:|//[a-z]|<script|<link|<img|src=|url\()", html)
    assert html.count("<svg") == 2


def load_course_stub() -> list:
    class Ex:
        def __init__(self, slug: str) -> None:
            self.slug = slug

    return [Ex("demo"), Ex("other")]


def _png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) into rows of pixels."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8
            assert color in (2, 6)
            channels = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, channels, rows


@pytest.mark.slow
def test_report_renders_its_plots_in_headless_chromium(tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium package is needed (.ci/run installs it): apt-get install chromium"
    results = []
    for i in range(12):
        r = _result()
        r.student = f"s{i:02d}"
        r.exercises["demo"].tests[1].status = "passed" if i % 3 else "failed"
        results.append(r)
    page = tmp_path / "report.html"
    page.write_text(report.render(results, load_course_stub(), []))
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--hide-scrollbars",
            "--window-size=1100,1400",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    _width, channels, rows = _png_pixels(shot)
    bar = bytes(int(report.BAR[i : i + 2], 16) for i in (1, 3, 5))
    hits = [y for y, row in enumerate(rows) for x in range(0, len(row), channels) if row[x : x + 3] == bar]
    # both plots are drawn in the bar colour: the histogram up top, the pass-rate bars below it
    assert len(hits) > 3000, f"only {len(hits)} pixels of the plots' colour in the screenshot"
    assert max(hits) - min(hits) > 300
