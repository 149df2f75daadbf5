"""course.yml is validated on load, and every error names the file, the line and the field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.manifest import ManifestError, load_course, parse_api_item

REPO = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "course.yml"
    path.write_text(textwrap.dedent(text))
    return path


GOOD = """\
    format_version: 1
    title: T
    modules:
      - slug: m
        title: M
    exercises:
      - slug: ex
        title: Ex
        module: m
        path: exercises/ex/ex.py
        points: 5
        topics: [t]
        hints: [h]
"""


def _error(tmp_path: Path, text: str) -> ManifestError:
    with pytest.raises(ManifestError) as info:
        load_course(_write(tmp_path, text), check_files=False)
    return info.value


def test_the_repository_manifest_loads_with_every_file_present() -> None:
    course = load_course(REPO / "course.yml")
    foundation = ["fix_blocking", "async_iterator", "cancel_cleanly"]
    assert [ex.slug for ex in course.exercises if ex.slug in foundation] == foundation
    for ex in course.exercises:
        assert ex.starter.is_file()
        assert ex.solution.is_file()
        assert ex.hidden_tests(), ex.slug


def test_a_good_manifest_derives_paths_by_convention(tmp_path: Path) -> None:
    course = load_course(_write(tmp_path, GOOD), check_files=False)
    ex = course.exercise("ex")
    assert ex.solution == tmp_path / "solutions/ex/ex.py"
    assert ex.module_name == "ex"
    assert ex.filename == "ex.py"


def test_unknown_key_names_line_and_field(tmp_path: Path) -> None:
    err = _error(tmp_path, GOOD.replace("points: 5", "points: 5\n        pionts: 3"))
    assert (err.line, err.field) == (12, "exercises[0] (ex).pionts")
    assert "unknown key" in str(err)
    assert str(err).startswith(f"{tmp_path / 'course.yml'}:12:")


def test_duplicate_slug_is_refused(tmp_path: Path) -> None:
    second = GOOD.split("exercises:\n")[1].replace("exercises/ex/ex.py", "exercises/ex/other.py")
    err = _error(tmp_path, GOOD + second)
    assert err.field == "exercises[1].slug"
    assert "duplicate slug 'ex'" in err.message
    assert err.line == 14


def test_duplicate_yaml_key_is_refused_not_silently_overwritten(tmp_path: Path) -> None:
    err = _error(tmp_path, GOOD.replace("points: 5", "points: 5\n        points: 50"))
    assert err.line == 12
    assert "duplicate key (first written on line 11)" in err.message


def test_missing_hints_are_reported(tmp_path: Path) -> None:
    err = _error(tmp_path, GOOD.replace("        hints: [h]\n", ""))
    assert err.field == "exercises[0] (ex).hints"
    assert err.message == "is missing"


def test_empty_hint_list_is_reported(tmp_path: Path) -> None:
    err = _error(tmp_path, GOOD.replace("hints: [h]", "hints: []"))
    assert err.field == "exercises[0] (ex).hints"
    assert "at least 1" in err.message


@pytest.mark.parametrize("bad", ["0", "-2", "'ten'", "true", "2.5"])
def test_points_must_be_a_positive_integer(tmp_path: Path, bad: str) -> None:
    err = _error(tmp_path, GOOD.replace("points: 5", f"points: {bad}"))
    assert err.field == "exercises[0] (ex).points"
    assert err.line == 11


def test_unknown_module_lists_the_known_ones(tmp_path: Path) -> None:
    err = _error(tmp_path, GOOD.replace("module: m", "module: nope"))
    assert "unknown module 'nope' (modules: m)" in err.message


@pytest.mark.parametrize("path", ["/abs/ex.py", "exercises/../x.py", "exercises/ex/ex.txt", "other/ex.py"])
def test_paths_must_stay_under_exercises(tmp_path: Path, path: str) -> None:
    err = _error(tmp_path, GOOD.replace("exercises/ex/ex.py", path))
    assert err.field == "exercises[0] (ex).path"


@pytest.mark.parametrize("path", ["exercises/q/queue.py", "exercises/p/pytest.py", "exercises/x/my-ex.py"])
def test_exercise_files_must_not_shadow_modules_the_kit_imports(tmp_path: Path, path: str) -> None:
    err = _error(tmp_path, GOOD.replace("exercises/ex/ex.py", path))
    assert err.field == "exercises[0] (ex).path"
    assert err.message.endswith("cannot be imported as its own module: rename the file")


def test_missing_files_are_named_when_checked(tmp_path: Path) -> None:
    with pytest.raises(ManifestError) as info:
        load_course(_write(tmp_path, GOOD))
    assert info.value.message == "exercises/ex/ex.py does not exist"
    assert info.value.line == 10


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    err = _error(tmp_path, GOOD.replace("title: Ex", "title: [Ex"))
    assert "not valid YAML" in err.message
    assert err.line is not None


def test_wrong_format_version_is_refused(tmp_path: Path) -> None:
    err = _error(tmp_path, GOOD.replace("format_version: 1", "format_version: 2"))
    assert err.field == "format_version"
    assert err.line == 1


def test_bad_api_line_is_reported(tmp_path: Path) -> None:
    err = _error(tmp_path, GOOD.replace("hints: [h]", "hints: [h]\n        api: ['fetch all']"))
    assert err.field == "exercises[0] (ex).api[0]"


def test_api_items_parse_into_short_signatures() -> None:
    item = parse_api_item("async def cancel_and_wait(task: asyncio.Task) -> bool")
    assert (item.kind, item.name, item.params) == ("async def", "cancel_and_wait", ("task",))
    assert parse_api_item("def f(a, /, b)").signature == "def f(a, b)"
    crawl = parse_api_item("async def crawl(urls, fetch, *, workers: int, queue_size: int) -> dict")
    assert (crawl.params, crawl.kwonly) == (("urls", "fetch"), ("workers", "queue_size"))
    assert crawl.signature == "async def crawl(urls, fetch, *, workers, queue_size)"


def test_sandbox_limits_are_read_with_defaults_for_the_rest(tmp_path: Path) -> None:
    text = GOOD.replace("title: T\n", "title: T\n    grading:\n      limits:\n        processes: 64\n")
    limits = load_course(_write(tmp_path, text), check_files=False).grading.limits
    assert (limits.processes, limits.cpu_seconds, limits.memory_mb) == (64, 120, 4096)


@pytest.mark.parametrize(("entry", "field"), [("processes: 0", "processes"), ("gpus: 1", "gpus")])
def test_bad_sandbox_limits_name_their_field_and_line(tmp_path: Path, entry: str, field: str) -> None:
    text = GOOD.replace("title: T\n", f"title: T\n    grading:\n      limits:\n        {entry}\n")
    err = _error(tmp_path, text)
    assert (err.field, err.line) == (f"grading.limits.{field}", 5)
