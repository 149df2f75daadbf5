"""Importing the student's file: fresh for every test, with errors a student can act on.

A missing file, a syntax error, an exception at import or a missing function never surface as a
traceback into the kit; they become a ``StudentCodeError`` whose message reads like
"fix_blocking.py must define `async def fetch_all(urls, latency)`".

The module is executed anew for every test (never taken from ``sys.modules``), so module-level
state (an ``asyncio.Queue()`` bound to the first test's loop, a counter) cannot leak between tests.

Example::

    >>> mod = load_student_module(Path("exercises/fix_blocking/fix_blocking.py"),
    ...                           exercise.api)                 # doctest: +SKIP
    >>> mod.fetch_all                                          # doctest: +SKIP
    <function fetch_all at 0x...>
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
import traceback
from pathlib import Path
from types import CodeType, ModuleType

from grader.manifest import ApiItem


class StudentCodeError(Exception):
    """The student's file cannot be used. ``kind`` is ``missing``, ``syntax``, ``import`` or ``api``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _import_failure(path: Path, exc: BaseException) -> StudentCodeError:
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve() == path.resolve()
    ]
    where = f" (line {frames[-1].lineno}: `{frames[-1].line}`)" if frames and frames[-1].line else ""
    return StudentCodeError(
        "import",
        f"importing {path.name} raised {type(exc).__name__}: {exc}{where}. Code at the top level of "
        f"the file runs on import: keep it to definitions.",
    )


def compile_student_file(path: Path) -> CodeType:
    """The student's file compiled, not run; a missing, linked, non-UTF-8 or invalid file is refused.

    Graders that must not import the student's code (it monkey-patches the interpreter) still get
    the same one-line verdicts as an import would give.

    Example::

        code = compile_student_file(Path("exercises/fix_blocking/fix_blocking.py"))
    """
    if not path.is_file():
        raise StudentCodeError("missing", f"{path.name} was not found: the exercise has no file to grade.")
    if path.is_symlink():
        raise StudentCodeError("missing", f"{path.name} is a symbolic link: submit the file itself.")
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise StudentCodeError("syntax", f"{path.name} is not UTF-8 text.") from None
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError as exc:
        text = (exc.text or "").strip()
        shown = f": `{text}`" if text else ""
        raise StudentCodeError(
            "syntax", f"{path.name} has a syntax error at line {exc.lineno}{shown} ({exc.msg})."
        ) from None
    return code


def load_student_module(path: Path, api: tuple[ApiItem, ...] = (), *, name: str | None = None) -> ModuleType:
    """Execute the student's file as a fresh module and check it defines ``api``."""
    name = name or path.stem
    code = compile_student_file(path)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    previous = sys.modules.get(name)
    sys.modules[name] = module  # dataclasses and pickling look the module up while it executes
    try:
        exec(code, module.__dict__)
    except SystemExit as exc:
        raise StudentCodeError(
            "import", f"importing {path.name} called sys.exit({exc.code!r}): remove it from the top level."
        ) from None
    except Exception as exc:
        raise _import_failure(path, exc) from None
    finally:
        if previous is not None:
            sys.modules[name] = previous
        else:
            sys.modules.pop(name, None)
    check_api(module, path.name, api)
    return module


def check_api(module: ModuleType, filename: str, api: tuple[ApiItem, ...]) -> None:
    """Raise StudentCodeError unless ``module`` defines every item of ``api`` in the right form."""
    for item in api:
        obj = getattr(module, item.name, None)
        must = f"{filename} must define `{item.signature}`"
        if obj is None:
            raise StudentCodeError("api", f"{must}; it has no `{item.name}`.")
        if item.kind == "class":
            if not inspect.isclass(obj):
                raise StudentCodeError("api", f"{must}; `{item.name}` is not a class.")
            continue
        if not callable(obj):
            raise StudentCodeError("api", f"{must}; `{item.name}` is not a function.")
        if item.kind == "async def" and not (
            inspect.iscoroutinefunction(obj) or inspect.isasyncgenfunction(obj)
        ):
            raise StudentCodeError(
                "api", f"{must}; `{item.name}` is a plain `def`: declare it with `async def`."
            )
        if item.kind == "def" and (inspect.iscoroutinefunction(obj) or inspect.isasyncgenfunction(obj)):
            raise StudentCodeError("api", f"{must}; `{item.name}` should be a plain `def`, not async.")
        try:
            inspect.signature(obj).bind(*item.params, **dict.fromkeys(item.kwonly))
        except TypeError:
            named = ", ".join([*item.params, *(f"{k}=..." for k in item.kwonly)])
            raise StudentCodeError(
                "api",
                f"{must}; `{item.name}{inspect.signature(obj)}` cannot be called as `{item.name}({named})`.",
            ) from None
        except ValueError:
            pass  # no signature to check (a builtin): let the tests judge it
