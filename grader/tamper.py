"""A static scan for code that tries to tamper with grading, flagged for the instructor's review.

Student code runs in the same process as the tests, so a determined student could forge results
in memory (walk ``gc`` for pytest's report objects, patch ``_pytest``, write to the report pipe).
The sandbox cannot stop that; this scan makes it visible. Findings never change a score: they
appear in the report's "flagged" list and in ``results/<student>.json`` under ``flags``.

Example::

    >>> scan_source("import os\\nos._exit(0)\\n", "x.py")[0]["construct"]
    'os._exit'
"""

from __future__ import annotations

import ast
from typing import Any

# module -> why importing it deserves a look
SUSPICIOUS_IMPORTS = {
    "_pytest": "imports pytest's internals (could patch its reports)",
    "pytest": "imports pytest (student code has no need to)",
    "gc": "the garbage collector can find and rewrite the grader's objects",
    "inspect": "frame inspection can reach the grader's locals",
    "ctypes": "ctypes can rewrite memory and call the C library directly",
    "signal": "signal handlers can swallow the grader's timeouts",
    "faulthandler": "faulthandler controls the grader's hard timeout",
    "builtins": "patching builtins changes how the grader's code behaves",
    "grader": "imports the grading plugin",
}
# dotted call/attribute -> why
SUSPICIOUS_ATTRS = {
    "os._exit": "ends the interpreter without reporting",
    "os.kill": "sends signals (to the grader itself?)",
    "os.killpg": "sends signals to a process group",
    "os.setsid": "starts a new session (escaping the run's process group)",
    "os.write": "writes to a raw file descriptor (the report pipe?)",
    "os.fdopen": "opens a raw file descriptor (the report pipe?)",
    "os.dup2": "replaces file descriptors",
    "sys._getframe": "frame access can reach the grader's locals",
    "sys.settrace": "a trace function sees and can change the grader's frames",
    "sys.setprofile": "a profile function sees the grader's frames",
    "sys.modules": "changes which modules the grader imports",
    "sys.meta_path": "changes how the grader's imports are resolved",
    "sys.excepthook": "changes how failures are reported",
}
SUSPICIOUS_NAMES = {
    "__import__": "dynamic import",
    "exec": "runs code built at run time",
    "eval": "runs code built at run time",
    "compile": "builds code at run time",
}


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _is_main_guard(node: ast.If) -> bool:
    test = node.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


class _Scanner(ast.NodeVisitor):
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.findings: list[dict[str, Any]] = []
        self.depth = 0  # > 0 inside a function or class body
        self.aliases: dict[str, str] = {}  # local name -> module it stands for

    def flag(self, node: ast.AST, construct: str, why: str) -> None:
        self.findings.append(
            {"file": self.filename, "line": getattr(node, "lineno", 0), "construct": construct, "why": why}
        )

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            top = alias.name.split(".")[0]
            self.aliases[alias.asname or top] = alias.name if alias.asname else top
            if top in SUSPICIOUS_IMPORTS:
                self.flag(node, f"import {alias.name}", SUSPICIOUS_IMPORTS[top])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        top = (node.module or "").split(".")[0]
        if top in SUSPICIOUS_IMPORTS:
            self.flag(node, f"from {node.module} import ...", SUSPICIOUS_IMPORTS[top])
        for alias in node.names:
            dotted = f"{node.module}.{alias.name}"
            if dotted in SUSPICIOUS_ATTRS:
                self.flag(node, dotted, SUSPICIOUS_ATTRS[dotted])
            self.aliases[alias.asname or alias.name] = dotted

    def _resolve(self, node: ast.AST) -> str | None:
        dotted = _dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        base = self.aliases.get(head, head)
        return f"{base}.{rest}" if rest else base

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = self._resolve(node)
        if name in SUSPICIOUS_ATTRS:
            self.flag(node, name, SUSPICIOUS_ATTRS[name])
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        resolved = self.aliases.get(node.id)
        if resolved in SUSPICIOUS_ATTRS:
            return  # flagged at its import
        if node.id in SUSPICIOUS_NAMES and isinstance(node.ctx, ast.Load):
            self.flag(node, node.id, SUSPICIOUS_NAMES[node.id])

    def visit_Call(self, node: ast.Call) -> None:
        name = self._resolve(node.func)
        if self.depth == 0 and name in {"sys.exit", "exit", "quit", "os.abort"}:
            self.flag(node, f"{name}() at import", "ends the grading run while the file is imported")
        self.generic_visit(node)

    def _nested(self, node: ast.AST) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = _nested

    def visit_If(self, node: ast.If) -> None:
        if self.depth == 0 and _is_main_guard(node):
            self._nested(node)  # a script's own entry point never runs on import
        else:
            self.generic_visit(node)


def scan_source(source: str, filename: str) -> list[dict[str, Any]]:
    """Findings for one file: ``{"file", "line", "construct", "why"}``, in line order.

    A file that does not parse gets no findings here: the grading run reports its syntax error.
    """
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError):
        return []
    scanner = _Scanner(filename)
    scanner.visit(tree)
    seen = set()
    unique = []
    for f in sorted(scanner.findings, key=lambda f: (f["line"], f["construct"])):
        key = (f["line"], f["construct"])
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def scan_files(files: dict[str, bytes]) -> list[dict[str, Any]]:
    """Findings for every file of a submission (paths relative to the submission)."""
    findings = []
    for path in sorted(files):
        findings += scan_source(files[path].decode("utf-8", "replace"), path)
    return findings
