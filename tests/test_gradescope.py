"""``course gradescope``: the bundle holds what grading needs and no secret, and runs like Gradescope."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader import gradescope
from grader.cli import main
from grader.manifest import load_course
from grader.results import ExerciseResult, SubmissionResult

REPO = Path(__file__).resolve().parents[1]
COURSE_YML = REPO / "course.yml"
COURSE = load_course(COURSE_YML, check_files=False)
SLUG = "coroutine_basics"  # one of the cheapest exercises to grade
ABSENT = "fix_blocking"  # in the assignment, never in the submissions below

# Gradescope's autograder specification: the keys results.json may have, and their values.
TOP_KEYS = {
    "score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
    "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard",
}  # fmt: skip
TEST_KEYS = {
    "score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
    "tags", "visibility", "extra_data",
}  # fmt: skip
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def _bundle(tmp_path: Path, *slugs: str) -> Path:
    out = tmp_path / "autograder.zip"
    args = ["--course", str(COURSE_YML), "gradescope", str(out)]
    assert main([*args, "--only", *slugs] if slugs else args) == 0
    return out


def _modes(bundle: Path) -> dict[str, int]:
    with zipfile.ZipFile(bundle) as archive:
        return {i.filename: stat.S_IMODE(i.external_attr >> 16) for i in archive.infolist()}


def _unzip(bundle: Path, into: Path) -> None:
    """Unzip keeping the permission bits, as Gradescope does with the uploaded bundle."""
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            path = Path(archive.extract(info, into))
            path.chmod(stat.S_IMODE(info.external_attr >> 16))


def assert_valid_results(data: dict) -> None:
    """results.json as Gradescope's specification describes it."""
    assert set(data) <= TOP_KEYS, set(data) - TOP_KEYS
    assert isinstance(data["score"], int | float)
    assert data.get("visibility", "visible") in VISIBILITIES
    assert data["tests"]
    for test in data["tests"]:
        assert set(test) <= TEST_KEYS, set(test) - TEST_KEYS
        assert isinstance(test["name"], str)
        assert isinstance(test["score"], int | float)
        assert isinstance(test["max_score"], int | float)
        assert test["status"] in {"passed", "failed"}
        assert test["visibility"] in VISIBILITIES
        assert isinstance(test.get("output", ""), str)


def test_bundle_holds_the_scripts_the_kit_and_the_exercise_tests(tmp_path: Path) -> None:
    ex = COURSE.exercise(SLUG)
    modes = _modes(_bundle(tmp_path, SLUG))
    expected = {
        "setup.sh",
        "run_autograder",
        "gradescope.json",
        "course.yml",
        "pyproject.toml",
        "README.md",
        "grader/grading.ini",
        "grader/plugin.py",
        "grader/gradescope.py",
        *(p.relative_to(REPO).as_posix() for p in ex.public_tests()),
        *(p.relative_to(REPO).as_posix() for p in ex.hidden_tests()),
    }
    assert expected <= set(modes), expected - set(modes)
    assert ex.hidden_tests(), "the exercise used here must have hidden graders"
    # Only this exercise's tests: an assignment carries nothing of the others.
    assert not [n for n in modes if n.startswith(("exercises/", "solutions/")) and f"/{SLUG}/" not in n]


def test_bundle_scripts_are_executable_and_nothing_else_is(tmp_path: Path) -> None:
    modes = _modes(_bundle(tmp_path, SLUG))
    assert modes.pop("setup.sh") == 0o755
    assert modes.pop("run_autograder") == 0o755
    assert all(mode == 0o644 for mode in modes.values()), modes


def test_full_bundle_has_no_reference_solution_no_variant_and_no_starter(tmp_path: Path) -> None:
    names = set(_modes(_bundle(tmp_path)))
    course = load_course(COURSE_YML, check_files=False)
    secrets = set()
    for ex in course.exercises:
        secrets |= {ex.path, ex.solution.relative_to(REPO).as_posix()}
        secrets |= {p.relative_to(REPO).as_posix() for p in [*ex.wrong_variants(), *ex.correct_variants()]}
    assert not names & secrets, names & secrets
    assert not [n for n in names if "/wrong/" in n or "/correct/" in n]
    solution_files = [n for n in names if n.startswith("solutions/")]
    assert solution_files
    assert all("/hidden/" in n for n in solution_files)


def test_bundle_lists_the_assignment_exercises_in_course_order(tmp_path: Path) -> None:
    with zipfile.ZipFile(_bundle(tmp_path, ABSENT, SLUG)) as archive:
        config = json.loads(archive.read("gradescope.json"))
    assert config == {"exercises": [SLUG, ABSENT]}  # coroutine_basics comes first in course.yml


def test_setup_makes_the_hidden_graders_unreadable_to_the_students_uid(tmp_path: Path) -> None:
    with zipfile.ZipFile(_bundle(tmp_path, SLUG)) as archive:
        setup = archive.read("setup.sh").decode()
    assert "\nchmod -R go-rwx solutions\n" in setup


def test_bundle_of_an_unknown_exercise_is_refused_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "autograder.zip"
    assert main(["--course", str(COURSE_YML), "gradescope", str(out), "--only", "no_such_slug"]) == 2
    assert "no_such_slug" in capsys.readouterr().err
    assert not out.exists()


def test_bundle_onto_a_directory_is_refused_and_the_directory_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine\n")
    assert main(["--course", str(COURSE_YML), "gradescope", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_loose_upload_is_found_by_file_name(tmp_path: Path) -> None:
    ex = COURSE.exercise(SLUG)
    (tmp_path / Path(ex.path).name).write_text("x = 1\n")
    (tmp_path / "conftest.py").write_text("import os\n")
    sub, notes = gradescope.find_files(tmp_path, [ex])
    assert sub.files == {ex.path: b"x = 1\n"}
    assert notes == []


def test_repository_zipped_as_one_folder_is_found(tmp_path: Path) -> None:
    ex = COURSE.exercise(SLUG)
    target = tmp_path / "my-repo" / ex.path
    target.parent.mkdir(parents=True)
    target.write_text("x = 2\n")
    sub, _ = gradescope.find_files(tmp_path, [ex])
    assert sub.files == {ex.path: b"x = 2\n"}


def test_loose_files_zipped_in_one_folder_are_found(tmp_path: Path) -> None:
    ex = COURSE.exercise(SLUG)
    (tmp_path / "homework").mkdir()
    (tmp_path / "homework" / Path(ex.path).name).write_text("x = 3\n")
    sub, notes = gradescope.find_files(tmp_path, [ex])
    assert sub.files == {ex.path: b"x = 3\n"}
    assert notes == []


def test_submission_without_any_exercise_file_says_what_to_upload(tmp_path: Path) -> None:
    ex = COURSE.exercise(SLUG)
    (tmp_path / "notes.txt").write_text("hello\n")
    sub, notes = gradescope.find_files(tmp_path, [ex])
    assert sub.files == {}
    assert len(notes) == 1
    assert Path(ex.path).name in notes[0]


def test_results_json_adds_the_notes_to_the_output_students_see() -> None:
    result = SubmissionResult("submission", {SLUG: ExerciseResult(SLUG, "missing", 0, 10, [], "gone")})
    data = json.loads(gradescope.results_json(result, ["x.py is a symbolic link: that exercise scores zero"]))
    assert data["output"] == "0/10 points\nx.py is a symbolic link: that exercise scores zero"
    assert_valid_results(data)


def test_symlinked_upload_is_refused_with_a_note(tmp_path: Path) -> None:
    ex = COURSE.exercise(SLUG)
    (tmp_path / Path(ex.path).name).symlink_to(ex.solution)
    sub, notes = gradescope.find_files(tmp_path, [ex])
    assert sub.files == {}
    assert len(notes) == 1
    assert "symbolic link" in notes[0]
    assert "scores zero" in notes[0]


def _fake_python(path: Path) -> Path:
    """An executable that records how it was called, standing in for an interpreter."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('#!/bin/sh\nprintf "%s\\n" "$0" "$@" > "$AUTOGRADER_ROOT/called"\n')
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("script", ["setup.sh", "run_autograder"])
def test_bundle_scripts_are_valid_bash(tmp_path: Path, script: str) -> None:
    _unzip(_bundle(tmp_path, SLUG), tmp_path / "source")
    proc = subprocess.run(["bash", "-n", str(tmp_path / "source" / script)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("override", [False, True])
def test_run_autograder_uses_the_setup_venv_unless_told_otherwise(tmp_path: Path, override: bool) -> None:
    root = tmp_path / "autograder"
    _unzip(_bundle(tmp_path, SLUG), root / "source")
    venv_python = _fake_python(root / "source/.venv/bin/python")
    other = _fake_python(tmp_path / "other/python")
    # Gradescope runs a copy at /autograder/run_autograder: the script must not rely on where it is.
    script = root / "run_autograder"
    script.write_bytes((root / "source/run_autograder").read_bytes())
    script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_PYTHON"}
    env["AUTOGRADER_ROOT"] = str(root)
    if override:
        env["AUTOGRADER_PYTHON"] = str(other)
    subprocess.run([str(script)], env=env, check=True, cwd=tmp_path)
    called = (root / "called").read_text().splitlines()
    expected = other if override else venv_python
    assert called == [str(expected), "-I", "-m", "grader.gradescope", "--root", str(root)]


def _run_autograder(tmp_path: Path, bundle: Path, files: dict[str, Path]) -> dict:
    """A fake /autograder tree: the bundle in source/, ``files`` in submission/; run it."""
    root = tmp_path / "autograder"
    _unzip(bundle, root / "source")
    (root / "submission").mkdir(parents=True)
    (root / "results").mkdir()
    # What setup.sh does to the hidden graders: grading must still work with them root-only.
    subprocess.run(["chmod", "-R", "go-rwx", str(root / "source" / "solutions")], check=True)
    for rel, src in files.items():
        (root / "submission" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / rel).write_bytes(src.read_bytes())
    # The kit's own interpreter stands in for the venv setup.sh would make (no network here).
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable}
    proc = subprocess.run(
        [str(root / "source" / "run_autograder")], env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The instructor's view (stdout): the kit's own result, with the isolation that was in force.
    assert "isolation" in json.loads(proc.stdout)
    return json.loads((root / "results" / "results.json").read_text())


# Slow: each run grades one exercise for real (a sandboxed pytest process), a few seconds.
@pytest.mark.slow
def test_run_autograder_gives_a_reference_solution_full_points_for_its_exercise(tmp_path: Path) -> None:
    course = load_course(COURSE_YML, check_files=False)
    ex, absent = course.exercise(SLUG), course.exercise(ABSENT)
    bundle = _bundle(tmp_path, SLUG, ABSENT)
    data = _run_autograder(tmp_path, bundle, {Path(ex.path).name: ex.solution})  # a loose upload
    assert_valid_results(data)
    assert data["score"] == ex.points
    mine = [t for t in data["tests"] if t["name"].startswith(f"{SLUG}: ")]
    assert mine
    assert all(t["status"] == "passed" and t["score"] == t["max_score"] for t in mine)
    assert sum(t["max_score"] for t in mine) == ex.points
    # The exercise missing from the submission: zero, with the reason the student reads.
    [missing] = [t for t in data["tests"] if t["name"].startswith(ABSENT)]
    assert (missing["score"], missing["max_score"], missing["status"]) == (0, absent.points, "failed")
    assert "was not in the submission" in missing["output"]


@pytest.mark.slow
def test_run_autograder_takes_points_from_a_starter_and_hides_hidden_tests_until_published(
    tmp_path: Path,
) -> None:
    ex = COURSE.exercise(SLUG)
    bundle = _bundle(tmp_path, SLUG)
    data = _run_autograder(tmp_path, bundle, {ex.path: REPO / ex.path})  # the repository's layout
    assert_valid_results(data)
    assert data["score"] < ex.points
    assert any(t["status"] == "failed" and t["score"] < t["max_score"] for t in data["tests"])
    # Public tests are shown at once, hidden ones once the grades are published.
    assert {t["visibility"] for t in data["tests"]} == {"visible", "after_published"}
