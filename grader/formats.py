"""One submission's result in the formats other platforms' runners read.

- ``gradescope``: Gradescope's ``results.json`` (score, per-test ``score``/``max_score``/``status``/
  ``output``; hidden tests are ``after_published`` so students see them once grades are out);
- ``exercism``: Exercism's test-runner ``results.json``, version 1 (``pass|fail|error`` overall and
  per test, with messages);
- ``junit``: JUnit XML, one ``testsuite`` per exercise, for CI dashboards.

Example::

    >>> json.loads(render("gradescope", result))["score"]        # doctest: +SKIP
    27.0
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from grader.results import SubmissionResult

FORMATS = {"gradescope": "results.json", "exercism": "results.json", "junit": "junit.xml"}


def gradescope(result: SubmissionResult) -> dict:
    """Gradescope's autograder ``results.json``."""
    tests = []
    for slug, ex in result.exercises.items():
        if not ex.tests:
            tests.append(
                {
                    "name": slug,
                    "score": 0,
                    "max_score": ex.max_score,
                    "status": "failed",
                    "output": ex.message,
                    "visibility": "visible",
                }
            )
        for t in ex.tests:
            tests.append(
                {
                    "name": f"{slug}: {t.name}",
                    "score": t.score,
                    "max_score": t.max_score,
                    "status": "passed" if t.status == "passed" else "failed",
                    "output": t.message,
                    "visibility": "after_published" if t.visibility == "hidden" else "visible",
                }
            )
    return {
        "score": result.total,
        "output": f"{result.total:g}/{result.max_total:g} points",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def exercism(result: SubmissionResult) -> dict:
    """Exercism's test-runner ``results.json`` (version 1)."""
    tests = []
    errors = []
    for slug, ex in result.exercises.items():
        if not ex.tests and ex.status != "passed":
            errors.append(f"{slug}: {ex.message}")
        for t in ex.tests:
            status = {"passed": "pass", "failed": "fail"}.get(t.status, "error")
            tests.append({"name": f"{slug}::{t.name}", "status": status, "message": t.message or None})
    data: dict = {"version": 1}
    if errors and not tests:
        data["status"] = "error"
        data["message"] = "\n".join(errors)
    else:
        data["status"] = (
            "pass" if tests and all(t["status"] == "pass" for t in tests) and not errors else "fail"
        )
    data["tests"] = tests
    return data


def junit(result: SubmissionResult) -> str:
    """JUnit XML for one submission."""
    root = ET.Element("testsuites", name=result.student)
    for slug, ex in result.exercises.items():
        suite = ET.SubElement(root, "testsuite", name=slug, tests=str(len(ex.tests) or 1))
        failures = errors = 0
        if not ex.tests:
            case = ET.SubElement(suite, "testcase", classname=slug, name=slug)
            if ex.status != "passed":
                ET.SubElement(case, "error", message=ex.message).text = ex.message
                errors += 1
        for t in ex.tests:
            case = ET.SubElement(suite, "testcase", classname=slug, name=t.name)
            if t.status == "failed":
                ET.SubElement(case, "failure", message=t.message).text = t.message
                failures += 1
            elif t.status != "passed":
                ET.SubElement(case, "error", message=t.message, type=t.status).text = t.message
                errors += 1
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def render(fmt: str, result: SubmissionResult) -> str:
    """The file's text for ``fmt`` (one of ``FORMATS``)."""
    if fmt == "gradescope":
        return json.dumps(gradescope(result), indent=2) + "\n"
    if fmt == "exercism":
        return json.dumps(exercism(result), indent=2) + "\n"
    if fmt == "junit":
        return junit(result)
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
