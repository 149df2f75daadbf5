"""course.yml: the single manifest of the course, loaded and validated.

Everything else in the kit (the CLI, the plugin, the runner) learns the order of the exercises, their
points, hints and paths from here. Where the manifest is silent, paths are derived by convention so
nothing is written down twice:

- public tests: ``test_*.py`` beside the exercise's ``path``;
- reference solution: ``path`` with its leading ``exercises/`` replaced by ``solutions/``;
- hidden graders: ``solutions/<dir>/hidden/test_*.py``;
- known-wrong and known-correct variants: ``solutions/<dir>/wrong/*.py`` and ``.../correct/*.py``.

Everything secret therefore lives under ``solutions/``: a student release leaves it out in one rule.

Example::

    >>> course = load_course("course.yml")            # doctest: +SKIP
    >>> [ex.slug for ex in course.exercises]          # doctest: +SKIP
    ['fix_blocking', 'async_iterator', 'cancel_cleanly']
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FORMAT_VERSION = 1
SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")

_COURSE_KEYS = {"format_version", "title", "description", "modules", "exercises", "grading"}
_MODULE_KEYS = {"slug", "title", "description"}
_EXERCISE_KEYS = {
    "slug",
    "title",
    "module",
    "path",
    "points",
    "hints",
    "topics",
    "api",
    "timeout",
    "description",
}
# The stdlib and the kit's own imports: an exercise file named like one of these would shadow it.
RESERVED_MODULE_NAMES = frozenset(sys.stdlib_module_names) | {"pytest", "_pytest", "pytest_asyncio", "grader"}
_EXERCISE_REQUIRED = ("slug", "title", "module", "path", "points", "hints", "topics")
_GRADING_KEYS = {"timeout", "hard_timeout_grace", "blocking_threshold", "limits"}
_LIMIT_KEYS = {"cpu_seconds", "memory_mb", "file_size_mb", "processes", "open_files"}


class ManifestError(ValueError):
    """A problem in course.yml, located by file, line and field.

    >>> str(ManifestError("course.yml", 12, "exercises[0].points", "must be a positive integer"))
    'course.yml:12: exercises[0].points: must be a positive integer'
    """

    def __init__(self, file: str | Path, line: int | None, field: str, message: str) -> None:
        self.file, self.line, self.field, self.message = str(file), line, field, message
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


@dataclass(frozen=True)
class ApiItem:
    """One name the student's module must define, parsed from a line such as
    ``async def fetch(url: str, latency: float) -> str`` or ``class Pages``."""

    kind: str  # "async def", "def" or "class"
    name: str
    params: tuple[str, ...]
    text: str
    kwonly: tuple[str, ...] = ()

    @property
    def signature(self) -> str:
        """The short form used in messages: ``async def crawl(urls, fetch, *, workers)``."""
        if self.kind == "class":
            return f"class {self.name}"
        names = [*self.params, *(["*", *self.kwonly] if self.kwonly else [])]
        return f"{self.kind} {self.name}({', '.join(names)})"


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Exercise:
    """One exercise of the course, with every path resolved against the repository root."""

    slug: str
    title: str
    module: str
    path: str
    points: int
    hints: tuple[str, ...]
    topics: tuple[str, ...]
    api: tuple[ApiItem, ...]
    root: Path
    timeout: float | None = None
    description: str = ""

    @property
    def filename(self) -> str:
        """The name of the one file the student edits: ``fix_blocking.py``."""
        return Path(self.path).name

    @property
    def module_name(self) -> str:
        """The import name of the student's file: ``fix_blocking``."""
        return Path(self.path).stem

    @property
    def exercise_dir(self) -> Path:
        return (self.root / self.path).parent

    @property
    def starter(self) -> Path:
        return self.root / self.path

    @property
    def solution(self) -> Path:
        return self.root / _mirror(self.path)

    @property
    def solution_dir(self) -> Path:
        return self.solution.parent

    def public_tests(self) -> list[Path]:
        return sorted(self.exercise_dir.glob("test_*.py"))

    def hidden_tests(self) -> list[Path]:
        return sorted((self.solution_dir / "hidden").glob("test_*.py"))

    def wrong_variants(self) -> list[Path]:
        return sorted(p for p in (self.solution_dir / "wrong").glob("*.py") if p.name != "__init__.py")

    def correct_variants(self) -> list[Path]:
        return sorted(p for p in (self.solution_dir / "correct").glob("*.py") if p.name != "__init__.py")


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits of one grading process (a submission's pytest run), set by the sandbox.

    Generous for honest code (a process pool, thirty threads), small enough that a fork bomb, a
    memory bomb or endless output ends the run instead of the machine.
    """

    cpu_seconds: int = 120
    memory_mb: int = 4096  # address space per process: threads reserve stacks and malloc arenas
    file_size_mb: int = 16
    processes: int = 256  # per run: the sandbox gives every run its own uid; threads count too
    open_files: int = 256


@dataclass(frozen=True)
class GradingSettings:
    """Course-wide grading limits (seconds). Each is overridable per exercise where it makes sense."""

    timeout: float = 30.0
    hard_timeout_grace: float = 15.0
    blocking_threshold: float = 0.25
    limits: SandboxLimits = field(default_factory=SandboxLimits)


@dataclass(frozen=True)
class Course:
    title: str
    modules: tuple[Module, ...]
    exercises: tuple[Exercise, ...]
    root: Path
    file: Path
    grading: GradingSettings = field(default_factory=GradingSettings)
    description: str = ""

    def exercise(self, slug: str) -> Exercise:
        """The exercise called ``slug``; a KeyError that lists the known slugs otherwise."""
        for ex in self.exercises:
            if ex.slug == slug:
                return ex
        known = ", ".join(ex.slug for ex in self.exercises)
        raise KeyError(f"no exercise {slug!r} in {self.file.name} (known: {known})")

    def select(self, slugs: list[str] | tuple[str, ...] | None) -> list[Exercise]:
        """The exercises named in ``slugs`` in course order, or all of them when none are named."""
        if not slugs:
            return list(self.exercises)
        wanted = [self.exercise(s) for s in slugs]  # raises on an unknown slug
        return [ex for ex in self.exercises if ex in wanted]


def _mirror(path: str) -> str:
    parts = Path(path).parts
    return str(Path("solutions", *parts[1:])) if parts and parts[0] == "exercises" else path


# --- loading -------------------------------------------------------------------------------------


class _Located:
    """A YAML value together with the line it was written on, so errors can point at it."""

    __slots__ = ("line", "value")

    def __init__(self, value: Any, line: int) -> None:
        self.value, self.line = value, line


def _compose(text: str, file: Path) -> Any:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ManifestError(file, line, "", f"not valid YAML: {problem}") from None
    if node is None:
        raise ManifestError(file, 1, "", "the file is empty")
    return _unwrap(node, file)


def _unwrap(node: yaml.Node, file: Path) -> _Located:
    """Turn a YAML node tree into nested dicts/lists of _Located, refusing duplicate keys."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, _Located] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in out:
                raise ManifestError(
                    file,
                    key_node.start_mark.line + 1,
                    str(key),
                    f"duplicate key (first written on line {out[key].line})",
                )
            out[key] = _unwrap(value_node, file)
            out[key].line = key_node.start_mark.line + 1
        return _Located(out, line)
    if isinstance(node, yaml.SequenceNode):
        return _Located([_unwrap(n, file) for n in node.value], line)
    value = yaml.SafeLoader("").construct_object(node, deep=True) if node.tag else node.value
    return _Located(value, line)


class _Checker:
    def __init__(self, file: Path) -> None:
        self.file = file

    def fail(self, located: _Located | None, field: str, message: str) -> ManifestError:
        return ManifestError(self.file, located.line if located else None, field, message)

    def mapping(self, loc: _Located, field: str, allowed: set[str]) -> dict[str, _Located]:
        if not isinstance(loc.value, dict):
            raise self.fail(loc, field, "must be a mapping of keys to values")
        for key, val in loc.value.items():
            if key not in allowed:
                raise self.fail(
                    val,
                    f"{field}.{key}" if field else key,
                    f"unknown key (allowed: {', '.join(sorted(allowed))})",
                )
        return loc.value

    def text(self, parent: _Located, mapping: dict[str, _Located], key: str, field: str) -> str:
        if key not in mapping:
            raise self.fail(parent, f"{field}.{key}" if field else key, "is missing")
        val = mapping[key]
        if not isinstance(val.value, str) or not val.value.strip():
            raise self.fail(val, f"{field}.{key}" if field else key, "must be a non-empty string")
        return val.value.strip()

    def text_list(self, loc: _Located, field: str, *, minimum: int) -> tuple[str, ...]:
        if not isinstance(loc.value, list):
            raise self.fail(loc, field, "must be a list")
        if len(loc.value) < minimum:
            raise self.fail(loc, field, f"needs at least {minimum} item(s), has {len(loc.value)}")
        out = []
        for i, item in enumerate(loc.value):
            if not isinstance(item.value, str) or not item.value.strip():
                raise self.fail(item, f"{field}[{i}]", "must be a non-empty string")
            out.append(" ".join(item.value.split()))
        return tuple(out)

    def number(self, loc: _Located, field: str, *, integer: bool = False) -> float:
        val = loc.value
        ok = isinstance(val, int) if integer else isinstance(val, int | float)
        if isinstance(val, bool) or not ok or val <= 0:
            kind = "a positive integer" if integer else "a positive number"
            raise self.fail(loc, field, f"must be {kind}, got {val!r}")
        return val


def parse_api_item(text: str) -> ApiItem:
    """Parse one ``api`` line of course.yml.

    >>> parse_api_item("async def fetch_all(urls: list[str], latency: float) -> list[str]").signature
    'async def fetch_all(urls, latency)'
    >>> parse_api_item("class Pages").signature
    'class Pages'
    >>> parse_api_item("async def crawl(urls, *, workers: int) -> dict").signature
    'async def crawl(urls, *, workers)'
    """
    stripped = text.strip()
    source = stripped + ("" if stripped.endswith(":") else ":") + " ..."
    tree = ast.parse(source)
    node = tree.body[0]
    if isinstance(node, ast.ClassDef):
        return ApiItem("class", node.name, (), stripped)
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        kind = "async def" if isinstance(node, ast.AsyncFunctionDef) else "def"
        params = tuple(a.arg for a in [*node.args.posonlyargs, *node.args.args])
        kwonly = tuple(a.arg for a in node.args.kwonlyargs)
        return ApiItem(kind, node.name, params, stripped, kwonly)
    raise SyntaxError("expected 'def', 'async def' or 'class'")


def find_course_file(start: Path) -> Path | None:
    """The nearest ``course.yml`` in ``start`` or any folder above it, or None."""
    for folder in [start, *start.parents]:
        if (folder / "course.yml").is_file():
            return folder / "course.yml"
    return None


def load_course(file: str | Path, *, check_files: bool = True) -> Course:
    """Load and validate course.yml; raise ManifestError naming file, line and field.

    ``check_files`` also checks that every exercise's starter, solution and public tests exist
    (a student release has no solutions, so it passes ``check_files=False`` for those).
    """
    file = Path(file)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ManifestError(file, None, "", f"cannot be read: {exc.strerror}") from None
    root_loc = _compose(text, file)
    c = _Checker(file)
    top = c.mapping(root_loc, "", _COURSE_KEYS)

    if "format_version" not in top:
        raise c.fail(root_loc, "format_version", "is missing")
    if top["format_version"].value != FORMAT_VERSION:
        raise c.fail(
            top["format_version"],
            "format_version",
            f"this kit reads format_version {FORMAT_VERSION}, got {top['format_version'].value!r}",
        )
    title = c.text(root_loc, top, "title", "")
    grading = _load_grading(c, top.get("grading"))

    if "modules" not in top:
        raise c.fail(root_loc, "modules", "is missing")
    if not isinstance(top["modules"].value, list) or not top["modules"].value:
        raise c.fail(top["modules"], "modules", "must be a non-empty list")
    modules: list[Module] = []
    for i, loc in enumerate(top["modules"].value):
        fld = f"modules[{i}]"
        m = c.mapping(loc, fld, _MODULE_KEYS)
        slug = c.text(loc, m, "slug", fld)
        if any(mod.slug == slug for mod in modules):
            raise c.fail(m["slug"], f"{fld}.slug", f"duplicate module slug {slug!r}")
        desc = m["description"].value if "description" in m else ""
        modules.append(Module(slug, c.text(loc, m, "title", fld), str(desc or "").strip()))

    if "exercises" not in top:
        raise c.fail(root_loc, "exercises", "is missing")
    if not isinstance(top["exercises"].value, list) or not top["exercises"].value:
        raise c.fail(top["exercises"], "exercises", "must be a non-empty list")
    root = file.resolve().parent
    exercises: list[Exercise] = []
    seen_paths: dict[str, str] = {}
    module_slugs = [m.slug for m in modules]
    last_module_index = 0
    for i, loc in enumerate(top["exercises"].value):
        ex = _load_exercise(c, loc, i, root, module_slugs, check_files)
        if any(e.slug == ex.slug for e in exercises):
            raise c.fail(loc.value["slug"], f"exercises[{i}].slug", f"duplicate slug {ex.slug!r}")
        if ex.path in seen_paths:
            raise c.fail(
                loc.value["path"],
                f"exercises[{i}].path",
                f"{ex.path} is already the path of {seen_paths[ex.path]!r}",
            )
        seen_paths[ex.path] = ex.slug
        index = module_slugs.index(ex.module)
        if index < last_module_index:
            raise c.fail(
                loc.value["module"],
                f"exercises[{i}].module",
                f"exercises must follow the order of modules; {ex.module!r} comes before "
                f"{module_slugs[last_module_index]!r}",
            )
        last_module_index = index
        exercises.append(ex)
    desc = top["description"].value if "description" in top else ""
    return Course(
        title, tuple(modules), tuple(exercises), root, file.resolve(), grading, str(desc or "").strip()
    )


def _load_grading(c: _Checker, loc: _Located | None) -> GradingSettings:
    if loc is None:
        return GradingSettings()
    m = c.mapping(loc, "grading", _GRADING_KEYS)
    values: dict[str, Any] = {k: float(c.number(v, f"grading.{k}")) for k, v in m.items() if k != "limits"}
    if "limits" in m:
        limits = c.mapping(m["limits"], "grading.limits", _LIMIT_KEYS)
        values["limits"] = SandboxLimits(
            **{k: int(c.number(v, f"grading.limits.{k}", integer=True)) for k, v in limits.items()}
        )
    return GradingSettings(**values)


def _load_exercise(
    c: _Checker, loc: _Located, i: int, root: Path, module_slugs: list[str], check_files: bool
) -> Exercise:
    raw = loc.value if isinstance(loc.value, dict) else {}
    named = raw.get("slug")
    # Name the exercise in every field path once its slug is known: "exercises[3] (cancel_cleanly)".
    fld = f"exercises[{i}] ({named.value})" if named and isinstance(named.value, str) else f"exercises[{i}]"
    m = c.mapping(loc, fld, _EXERCISE_KEYS)
    for key in _EXERCISE_REQUIRED:
        if key not in m:
            raise c.fail(loc, f"{fld}.{key}", "is missing")
    slug = c.text(loc, m, "slug", f"exercises[{i}]")
    if not SLUG_RE.match(slug):
        raise c.fail(m["slug"], f"exercises[{i}].slug", "use lowercase letters, digits and underscores")
    title = c.text(loc, m, "title", fld)
    module = c.text(loc, m, "module", fld)
    if module not in module_slugs:
        raise c.fail(
            m["module"],
            f"{fld}.module",
            f"unknown module {module!r} (modules: {', '.join(module_slugs)})",
        )
    path = c.text(loc, m, "path", fld)
    pure = Path(path)
    if pure.is_absolute() or ".." in pure.parts or pure.suffix != ".py":
        raise c.fail(m["path"], f"{fld}.path", "must be a relative path to a .py file inside the repo")
    if pure.parts[0] != "exercises":
        raise c.fail(m["path"], f"{fld}.path", "must be under exercises/")
    if not pure.stem.isidentifier() or pure.stem in RESERVED_MODULE_NAMES:
        # The student's file is imported by its stem, ahead of everything else on sys.path (so
        # that spawned processes find it): it must not be able to shadow a module the kit needs.
        raise c.fail(
            m["path"], f"{fld}.path", f"{pure.name} cannot be imported as its own module: rename the file"
        )
    points = int(c.number(m["points"], f"{fld}.points", integer=True))
    hints = c.text_list(m["hints"], f"{fld}.hints", minimum=1)
    topics = c.text_list(m["topics"], f"{fld}.topics", minimum=1)
    api: list[ApiItem] = []
    if "api" in m:
        for j, text in enumerate(c.text_list(m["api"], f"{fld}.api", minimum=1)):
            try:
                api.append(parse_api_item(text))
            except SyntaxError:
                raise c.fail(
                    m["api"].value[j],
                    f"{fld}.api[{j}]",
                    "write a signature such as 'async def fetch(url, latency)' or 'class Pages'",
                ) from None
    timeout = float(c.number(m["timeout"], f"{fld}.timeout")) if "timeout" in m else None
    desc = m["description"].value if "description" in m else ""
    ex = Exercise(
        slug, title, module, path, points, hints, topics, tuple(api), root, timeout, str(desc or "").strip()
    )
    if check_files:
        if not ex.starter.is_file():
            raise c.fail(m["path"], f"{fld}.path", f"{path} does not exist")
        if not ex.public_tests():
            raise c.fail(
                m["path"],
                f"{fld}.path",
                f"no public tests (test_*.py) beside {path}",
            )
        if not ex.solution.is_file():
            raise c.fail(
                m["path"],
                f"{fld}.path",
                f"no reference solution at {ex.solution.relative_to(root)}",
            )
    return ex
