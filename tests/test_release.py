"""``course release``: the student repository has what students need, no secret, and a working loop."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from grader import checksums, cli
from grader.leaks import find_leaks
from grader.manifest import load_course
from grader.release import ReleaseError, release
from tests.conftest import TinyCourse

REPO = Path(__file__).resolve().parents[1]
SOLUTION_LINE = "return list(urls)"  # the tiny course's reference solution, line 2


@pytest.fixture
def course_dir(tiny: TinyCourse) -> TinyCourse:
    """The tiny course with an exercise README, the kit's pyproject.toml and maintainers' folders."""
    tiny.fetch_all_exercise()
    tiny.write("exercises/demo/README.md", "# Demo\n\nFetch every url.\n")
    shutil.copyfile(REPO / "pyproject.toml", tiny.root / "pyproject.toml")
    for folder in ("tests", "bench", ".ci", "docs"):
        tiny.write(f"{folder}/maintainers.txt", "for maintainers\n")
    return tiny


def _release(tiny: TinyCourse, out: Path) -> list[str]:
    return release(load_course(tiny.root / "course.yml"), out)


def test_release_holds_what_students_need_and_nothing_of_the_maintainers(
    course_dir: TinyCourse, tmp_path: Path
) -> None:
    out = tmp_path / "release"
    files = _release(course_dir, out)
    assert files == sorted(str(p.relative_to(out).as_posix()) for p in out.rglob("*") if p.is_file())
    top = {p.name for p in out.iterdir()}
    assert top == {
        ".github", ".gitignore", "Makefile", "README.md", "course.yml", "exercises", "grader",
        "public-tests.sha256", "pyproject.toml", "starters.sha256",
    }  # fmt: skip
    assert sorted(p.name for p in (out / "exercises/demo").iterdir()) == [
        "README.md",
        "demo.py",
        "test_demo.py",
    ]
    assert (out / "grader/plugin.py").is_file()
    assert (out / "grader/grading.ini").is_file()
    assert not list(out.rglob("__pycache__"))


def test_student_course_yml_keeps_hints_and_drops_comments_about_solutions(
    course_dir: TinyCourse, tmp_path: Path
) -> None:
    yml = course_dir.root / "course.yml"
    yml.write_text("# reference solutions live in solutions/<dir>/<file>.py\n" + yml.read_text())
    out = tmp_path / "release"
    _release(course_dir, out)
    text = (out / "course.yml").read_text()
    assert "solutions" not in text
    course = load_course(out / "course.yml", check_files=False)
    assert course.exercise("demo").hints == ("first hint, the concept", "second hint, the API")


def test_student_readme_starts_with_make_check_and_the_makefile_has_it(
    course_dir: TinyCourse, tmp_path: Path
) -> None:
    out = tmp_path / "release"
    _release(course_dir, out)
    readme = (out / "README.md").read_text()
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert first_block.split()[:2] == ["make", "check"]
    assert readme.index("make check") < readme.index("## Exercises")
    assert "check: $(VENV)/.student" in (out / "Makefile").read_text()
    assert "[tool.ruff" not in (out / "pyproject.toml").read_text()


def test_classroom_workflow_awards_each_exercise_its_points_through_course_check(
    course_dir: TinyCourse, tmp_path: Path
) -> None:
    out = tmp_path / "release"
    _release(course_dir, out)
    workflow = yaml.safe_load((out / ".github/workflows/classroom.yml").read_text())
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    graded = [s for s in steps if s.get("uses", "").startswith("classroom-resources/autograding-command")]
    assert [(s["id"], s["with"]["command"], s["with"]["max-score"]) for s in graded] == [
        ("demo", ".venv/bin/course check demo", 3)
    ]
    install = next(s["run"] for s in steps if "run" in s)
    assert install == "make .venv/.student"
    assert "\n.venv/.student:" in (out / "Makefile").read_text().replace("$(VENV)", ".venv")
    reporter = steps[-1]
    assert reporter["with"]["runners"] == "demo"
    assert reporter["env"] == {"DEMO_RESULTS": "${{steps.demo.outputs.result}}"}


def test_a_solution_line_planted_in_a_readme_fails_the_release_and_writes_nothing(
    course_dir: TinyCourse, tmp_path: Path
) -> None:
    course_dir.write("exercises/demo/README.md", f"# Demo\n\nTry:\n\n    {SOLUTION_LINE}\n")
    out = tmp_path / "release"
    with pytest.raises(ReleaseError) as err:
        _release(course_dir, out)
    where = "exercises/demo/README.md:5: a line of solutions/demo/demo.py"
    assert f"{where}: {SOLUTION_LINE!r}" in str(err.value)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".release")] == []


def test_a_solution_line_planted_in_another_exercises_starter_fails_the_release(
    course_dir: TinyCourse, tmp_path: Path
) -> None:
    yml = course_dir.root / "course.yml"
    data = yaml.safe_load(yml.read_text())
    data["exercises"].append(data["exercises"][0] | {"slug": "other", "path": "exercises/other/other.py"})
    yml.write_text(yaml.safe_dump(data))
    course_dir.write(
        "solutions/other/other.py", "async def fetch_all(urls, latency):\n    return sorted(urls)\n"
    )
    course_dir.write(
        "exercises/other/other.py", f"async def fetch_all(urls, latency):\n    {SOLUTION_LINE}\n"
    )
    course_dir.write("exercises/other/test_other.py", "def test_nothing():\n    pass\n")
    with pytest.raises(ReleaseError, match=r"exercises/other/other\.py:2: a line of solutions/demo/demo\.py"):
        _release(course_dir, tmp_path / "release")


def test_a_hidden_test_name_planted_in_a_public_test_fails_the_release(
    course_dir: TinyCourse, tmp_path: Path
) -> None:
    public = course_dir.root / "exercises/demo/test_demo.py"
    public.write_text(public.read_text() + "# see also test_many\n")
    with pytest.raises(ReleaseError, match=r"test_demo.py:\d+: the name of a hidden test: 'test_many'"):
        _release(course_dir, tmp_path / "release")


def test_a_starter_that_is_the_solution_fails_the_release(course_dir: TinyCourse, tmp_path: Path) -> None:
    shutil.copyfile(course_dir.root / "solutions/demo/demo.py", course_dir.root / "exercises/demo/demo.py")
    with pytest.raises(ReleaseError, match=r"exercises/demo/demo\.py:1: defines fetch_all exactly as"):
        _release(course_dir, tmp_path / "release")


def test_release_refuses_a_folder_that_is_not_empty(course_dir: TinyCourse, tmp_path: Path) -> None:
    out = tmp_path / "release"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    with pytest.raises(ReleaseError, match="exists and is not an empty folder"):
        _release(course_dir, out)
    assert (out / "notes.txt").read_text() == "mine\n"


def test_cli_release_reports_leaks_with_exit_status_1(
    course_dir: TinyCourse, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course_dir.write("exercises/demo/README.md", f"{SOLUTION_LINE}\n")
    code = cli.main(["--course", str(course_dir.root / "course.yml"), "release", str(tmp_path / "out")])
    assert code == 1
    assert "course release: 1 secret(s) would reach students" in capsys.readouterr().err


def test_check_in_the_release_shows_progress_and_warns_about_an_edited_public_test(
    course_dir: TinyCourse, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "release"
    _release(course_dir, out)
    assert checksums.warnings(out) == []
    test_file = out / "exercises/demo/test_demo.py"
    test_file.write_text(test_file.read_text().replace('"one body per url"', '"edited"'))
    code = cli.main(["--course", str(out / "course.yml"), "check"])
    text = capsys.readouterr().out
    assert code == 1
    assert text.startswith(
        "warning: exercises/demo/test_demo.py was edited (it no longer matches public-tests.sha256)"
    )
    assert "0/1 done" in text


def test_a_deleted_public_test_is_reported_missing() -> None:
    sums = {"exercises/demo/test_demo.py": "0" * 64}
    assert checksums.edited(Path("/nonexistent"), sums) == [("exercises/demo/test_demo.py", "missing")]


def test_a_malformed_checksum_line_is_named_by_file_and_line(tmp_path: Path) -> None:
    (tmp_path / checksums.CHECKSUM_FILE).write_text(f"{'a' * 64}  exercises/x/test_x.py\nnot a checksum\n")
    assert checksums.warnings(tmp_path) == [
        "warning: public-tests.sha256:2: expected '<sha256>  <path>', found 'not a checksum': "
        "edited public tests cannot be detected"
    ]


def test_the_kits_own_course_releases_without_a_leak(tmp_path: Path) -> None:
    course = load_course(REPO / "course.yml")
    files = release(course, tmp_path / "release")
    assert not any(f.startswith(("solutions/", "tests/", "bench/", ".ci/", "docs/")) for f in files)
    assert find_leaks(course, tmp_path / "release") == []


@pytest.mark.slow
@pytest.mark.timeout(900)  # a cold pip cache downloads gevent, trio & co.
def test_make_check_works_from_a_fresh_clone_of_the_release(course_dir: TinyCourse, tmp_path: Path) -> None:
    # Slow (2-3 minutes on 2 busy cores): `make check` creates a venv and pip-installs the kit and its core
    # dependencies (from pip's cache when warm). The tiny course keeps the check itself short.
    out = tmp_path / "release"
    _release(course_dir, out)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=out, check=True)
    subprocess.run([*git, "add", "-A"], cwd=out, check=True)
    subprocess.run([*git, "commit", "-qm", "release"], cwd=out, check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(out), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    done = subprocess.run(
        ["make", "check", f"PYTHON={sys.executable}"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0/1 done" in done.stdout
    assert "Next: demo, Demo exercise" in done.stdout
