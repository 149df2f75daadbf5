"""Noticing a submission that patches the grading machinery in memory.

Student code runs in the process that runs its tests, so it can replace pytest's report
functions or this plugin's own (``_pytest.reports.TestReport.from_item_and_call = ...``). A
``Snapshot`` taken before any student code runs keeps the originals: the reporter calls those,
so the patch changes nothing it writes, and ``changed()`` names whatever was replaced, so the
run's remaining tests are failed and the instructor is told. Code that also defeats this check
(it lives in the same process) is beyond what a shared process can stop: ``grader.tamper`` flags
the tools such code needs for review, and the README says so.

Example::

    >>> snap = Snapshot()
    >>> snap.changed()
    []
"""

from __future__ import annotations

import importlib
from typing import Any

# (module, attribute path): what a forged pass would have to replace.
WATCHED = (
    ("_pytest.reports", "TestReport.from_item_and_call"),
    ("_pytest.reports", "TestReport.__init__"),
    ("_pytest.reports", "BaseReport.passed"),
    ("_pytest.reports", "BaseReport.failed"),
    ("_pytest.reports", "BaseReport.outcome"),
    ("_pytest.runner", "call_and_report"),
    ("_pytest.runner", "runtestprotocol"),
    ("_pytest.runner", "CallInfo.from_call"),
    ("_pytest.python", "Function.runtest"),
    ("_pytest.python", "pytest_pyfunc_call"),
    ("grader.plugin", "summarize"),
    ("grader.plugin", "ResultReporter.pytest_runtest_logfinish"),
    ("grader.results", "write_record"),
    ("json", "dumps"),
)


def _resolve(module: str, path: str) -> Any:
    obj: Any = importlib.import_module(module)
    for part in path.split("."):
        # The class __dict__, not getattr: a property must be compared as the property object.
        obj = vars(obj)[part] if isinstance(obj, type) and part in vars(obj) else getattr(obj, part, None)
    return obj


class Snapshot:
    """The watched objects as they were when the snapshot was taken, and the originals to call."""

    def __init__(self) -> None:
        self._original = {f"{m}.{p}": _resolve(m, p) for m, p in WATCHED}
        self.summarize = self._original["grader.plugin.summarize"]
        self._dumps = self._original["json.dumps"]

    def write_record(self, stream: Any, record: dict[str, Any]) -> None:
        """``grader.results.write_record`` with the original ``json.dumps``."""
        stream.write(self._dumps(record, sort_keys=True) + "\n")
        stream.flush()

    def changed(self) -> list[str]:
        """The watched names whose object is no longer the original."""
        return [
            name
            for (m, p), name in zip(WATCHED, self._original, strict=True)
            if _resolve(m, p) is not self._original[name]
        ]
