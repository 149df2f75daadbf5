"""Points declared by ``@pytest.mark.points(n)``, read from the test files without running them.

A test that takes its whole process down never reports its own points; the runner asks here so
that the exercise's maximum stays right. Module-level ``pytestmark`` points apply to every test of
the module that has none of its own.

Example::

    >>> declared_points([Path("solutions/my_exercise/hidden/test_my_exercise_hidden.py")],
    ...                 Path("."))                                  # doctest: +SKIP
    {'solutions/my_exercise/hidden/test_my_exercise_hidden.py::test_runs_concurrently': 2, ...}
"""

from __future__ import annotations

import ast
from pathlib import Path


def _points_in(decorators: list[ast.expr]) -> float | None:
    for deco in decorators:
        if (
            isinstance(deco, ast.Call)
            and isinstance(deco.func, ast.Attribute)
            and deco.func.attr == "points"
            and deco.args
            and isinstance(deco.args[0], ast.Constant)
            and isinstance(deco.args[0].value, int | float)
        ):
            return deco.args[0].value
    return None


def _module_points(tree: ast.Module) -> float | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            value = node.value
            items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
            found = _points_in(list(items))
            if found is not None:
                return found
    return None


def declared_points(files: list[Path], root: Path) -> dict[str, float]:
    """Map ``nodeid`` (without parameters) to the points its marker declares (default 1)."""
    out: dict[str, float] = {}
    for file in files:
        tree = ast.parse(file.read_text(encoding="utf-8"))
        default = _module_points(tree) or 1
        rel = file.resolve().relative_to(root.resolve()).as_posix()
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
                found = _points_in(node.decorator_list)
                out[f"{rel}::{node.name}"] = found if found is not None else default
    return out


def points_for(nodeid: str, declared: dict[str, float]) -> float:
    """Points of ``nodeid``, parameters stripped (``test_x[a]`` is worth what ``test_x`` is)."""
    return declared.get(nodeid.split("[", 1)[0], 1)
