"""Find the course's secrets in a directory: reference solutions' code and hidden tests' names.

``course release`` runs this over what it wrote, so a solution pasted into a README or a hidden
test's name left in a public file stops the release instead of reaching students.

What counts as a solution's code: each line of a reference solution that a student could not
already see. Lines that are scaffolding (imports, ``def``/``class`` headers, docstrings,
comments), short idioms, and lines that also occur in the exercise's starter, in any public test
or in the kit's own code are left out, since finding them elsewhere proves nothing. Besides
lines, the functions and classes the exercise's ``api`` names must differ between the starter and
the solution, at least one of them: a starter that *is* the solution leaks it whole.

Example::

    >>> leaks = find_leaks(course, Path("release"))         # doctest: +SKIP
    >>> [str(leak) for leak in leaks]                        # doctest: +SKIP
    ['exercises/timeouts/README.md:12: a line of solutions/timeouts/timeouts.py: ...']
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.manifest import Course, Exercise

# Shorter lines are idioms (`return items`, `await task`): finding one elsewhere proves nothing.
MIN_LINE_LENGTH = 16


@dataclass(frozen=True)
class Leak:
    """One secret found: where (path relative to the scanned tree, 1-based line) and what."""

    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def code_lines(text: str) -> list[str]:
    """Each line of ``text`` stripped of indentation and of a trailing ``#`` comment.

    >>> code_lines("  x = 1  # why\\n\\n# note\\n")
    ['x = 1', '', '']
    """
    stripped = (line.strip() for line in text.splitlines())
    # Only a comment set off by two spaces (PEP 8) is cut: a '#' inside a string stays.
    return ["" if s.startswith("#") else s.split("  #", 1)[0].rstrip() for s in stripped]


def _scaffold_lines(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            skip.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            skip.update(range(start, node.body[0].lineno))
        elif isinstance(node, ast.Expr) and isinstance(getattr(node.value, "value", None), str):
            skip.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return skip


def secret_lines(solution: str, public: set[str]) -> set[str]:
    """The lines of a solution's source that are its own: not scaffolding, not short, not public.

    >>> source = "import asyncio\\nasync def f():\\n    return await asyncio.sleep(1, 'x')\\n"
    >>> sorted(secret_lines(source, set()))
    ["return await asyncio.sleep(1, 'x')"]
    """
    skip = _scaffold_lines(ast.parse(solution))
    return {
        code
        for number, code in enumerate(code_lines(solution), 1)
        if number not in skip and len(code) >= MIN_LINE_LENGTH and code not in public
    }


def hidden_names(sources: Iterable[tuple[str, str]]) -> set[str]:
    """Names that identify hidden tests: their modules' names and their test functions and classes.

    >>> sorted(hidden_names([("test_x_hidden", "def test_secret(): pass\\nclass TestMore: pass\\n")]))
    ['TestMore', 'test_secret', 'test_x_hidden']
    """
    names = set()
    for stem, source in sources:
        names.add(stem)
        for node in ast.walk(ast.parse(source)):
            func = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            is_test = func and node.name.startswith("test")
            if is_test or (isinstance(node, ast.ClassDef) and node.name.startswith("Test")):
                names.add(node.name)
    return names


def _definitions(source: str) -> dict[str, str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    return {
        node.name: ast.dump(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def _public_lines(course: Course) -> set[str]:
    # Starters are left out: each solution is compared with its own starter only, so a line
    # planted in another exercise's starter is still caught.
    lines: set[str] = set()
    for ex in course.exercises:
        for path in ex.public_tests():
            lines.update(code_lines(path.read_text(encoding="utf-8")))
    for path in Path(__file__).parent.glob("*.py"):  # the kit's own code ships too
        lines.update(code_lines(path.read_text(encoding="utf-8")))
    return lines


def _hidden_sources(ex: Exercise) -> list[tuple[str, str]]:
    hidden = ex.solution_dir / "hidden"
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(hidden.glob("*.py"))]


def find_leaks(course: Course, tree: Path) -> list[Leak]:
    """Every place in the files under ``tree`` that holds a solution's code or a hidden test's name.

    ``course`` is the instructor's course (with its ``solutions/``); ``tree`` is what students get.
    Example: ``find_leaks(load_course("course.yml"), Path("release"))`` -> ``[]`` when clean.
    """
    public = _public_lines(course)
    lines: dict[str, str] = {}  # secret line -> the solution it comes from
    names: set[str] = set()
    api_checks = []
    for ex in course.exercises:
        if ex.solution.is_file():
            solution = ex.solution.read_text(encoding="utf-8")
            where = ex.solution.relative_to(course.root).as_posix()
            own = set(code_lines(ex.starter.read_text(encoding="utf-8"))) if ex.starter.is_file() else set()
            lines.update((line, where) for line in secret_lines(solution, public | own))
            api_checks.append((ex, where, _definitions(solution)))
        names |= hidden_names(_hidden_sources(ex))
    name_re = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b") if names else None

    leaks = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        rel = path.relative_to(tree).as_posix()
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, (raw, code) in enumerate(zip(text.splitlines(), code_lines(text), strict=True), 1):
            if code in lines:
                leaks.append(Leak(rel, number, f"a line of {lines[code]}: {code!r}"))
            if rel == "course.yml" and "solutions/" in raw:
                leaks.append(Leak(rel, number, "the student's manifest points at solutions/"))
            if name_re is not None and (match := name_re.search(raw)):
                leaks.append(Leak(rel, number, f"the name of a hidden test: {match.group(1)!r}"))
    for ex, where, solved in api_checks:
        starter = tree / ex.path
        names = [item.name for item in ex.api if item.name in solved]
        if not names or not starter.is_file():
            continue
        # A starter may give some of the API as it is (an exception class); all of it is the answer.
        given = _definitions(starter.read_text(encoding="utf-8"))
        if all(given.get(name) == solved[name] for name in names):
            leaks.append(Leak(ex.path, 1, f"defines {', '.join(names)} exactly as {where} does"))
    return leaks
