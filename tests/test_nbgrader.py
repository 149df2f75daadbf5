"""``course nbgrader``: notebooks nbgrader accepts, graded by nbgrader itself as ``course grade`` grades.

The round trip runs the real thing: ``nbgrader generate_assignment``, then ``nbgrader autograde``
on submissions made from reference solutions, starters and a wrong variant, each in a Jupyter
kernel (which already runs an event loop), and compares nbgrader's gradebook with ``course grade``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from grader.cli import main
from grader.grading import grade_batch
from grader.manifest import load_course
from grader.nbgrader_course import (
    NbgraderError,
    cell_points,
    collected_nodeids,
    fill_answer,
    run_nbgrader,
    write_nbgrader_course,
)

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course(REPO / "course.yml")
ASSIGNMENT = "asyncio_basics"
SLUGS = ["coroutine_basics", "fix_blocking"]  # two cheap exercises of one assignment


def _meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _source(cell: dict) -> str:
    return "".join(cell["source"])


@pytest.fixture(scope="module")
def full_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("nbgrader") / "course"
    write_nbgrader_course(COURSE, out)
    return out


def test_every_exercise_has_a_notebook_in_its_modules_assignment(full_course: Path) -> None:
    notebooks = sorted(p.relative_to(full_course).as_posix() for p in full_course.rglob("*.ipynb"))
    assert notebooks == sorted(f"source/{ex.module}/{ex.slug}.ipynb" for ex in COURSE.exercises)
    assert (full_course / "nbgrader_config.py").is_file()


def test_notebook_points_are_the_exercise_points_of_course_yml(full_course: Path) -> None:
    for ex in COURSE.exercises:
        nb = json.loads((full_course / f"source/{ex.module}/{ex.slug}.ipynb").read_text())
        points = sum(_meta(c).get("points", 0) for c in nb["cells"] if _meta(c).get("grade"))
        assert points == ex.points, ex.slug


def test_notebook_is_valid_nbformat_with_unique_grade_ids(full_course: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    for path in full_course.rglob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        ids = [_meta(c)["grade_id"] for c in nb.cells if _meta(c)]
        assert len(ids) == len(set(ids)), path


def test_answer_cell_holds_the_starter_and_hidden_tests_sit_in_one_grade_cell(full_course: Path) -> None:
    for ex in COURSE.exercises:
        nb = json.loads((full_course / f"source/{ex.module}/{ex.slug}.ipynb").read_text())
        answers = [c for c in nb["cells"] if _meta(c).get("solution")]
        assert len(answers) == 1
        assert ex.starter.read_text() in _source(answers[0])
        assert ex.solution.read_text() not in json.dumps(nb)
        hidden = [c for c in nb["cells"] if "### BEGIN HIDDEN TESTS" in _source(c)]
        assert len(hidden) == 1
        assert _meta(hidden[0])["grade"]
        assert _meta(hidden[0])["locked"]
        for test_file in ex.hidden_tests():
            assert test_file.read_text() in _source(hidden[0])


def test_readme_of_each_notebook_explains_the_running_event_loop(full_course: Path) -> None:
    for path in full_course.rglob("*.ipynb"):
        readme = _source(json.loads(path.read_text())["cells"][0])
        assert "already runs an event loop" in readme, path
        assert "top-level `await`" in readme, path


def test_interpreter_patching_exercise_is_not_run_in_the_kernel(full_course: Path) -> None:
    nb = json.loads((full_course / "source/beyond_asyncio/gevent_sockets.ipynb").read_text())
    answer = next(c for c in nb["cells"] if _meta(c).get("solution"))
    assert _source(answer).startswith("%%exercise gevent_sockets --no-run\n")
    assert "patches the whole interpreter" in _source(nb["cells"][0])


def test_points_that_disagree_with_course_yml_write_nothing() -> None:
    ex = dataclasses.replace(COURSE.exercise("fix_blocking"), points=11)
    with pytest.raises(NbgraderError, match=r"worth 10 points, course\.yml gives it 11"):
        cell_points(COURSE, ex, collected_nodeids(COURSE, [ex]))


def test_nbgrader_into_a_folder_that_is_not_empty_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["--course", str(REPO / "course.yml"), "nbgrader", str(tmp_path)]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


@pytest.mark.slow  # nbgrader and a Jupyter kernel per notebook: about a minute
def test_nbgrader_autograde_agrees_with_course_grade(tmp_path: Path) -> None:
    course_dir = tmp_path / "nbgrader-course"
    write_nbgrader_course(COURSE, course_dir, only=SLUGS)
    run_nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")

    # Students see no hidden test: neither its source nor its name.
    for ex in COURSE.select(SLUGS):
        released = (course_dir / f"release/{ASSIGNMENT}/{ex.slug}.ipynb").read_text()
        for test_file in ex.hidden_tests():
            names = re.findall(r"def (test_\w+)", test_file.read_text())
            assert names
            assert not [n for n in names if n in released], ex.slug

    # The same code, as nbgrader submissions and as course grade submissions.
    kinds = {
        "reference": lambda ex: ex.solution,
        "starter": lambda ex: ex.starter,
        "wrong": lambda ex: ex.wrong_variants()[0],
    }
    files_dir = tmp_path / "files"
    for student, pick in kinds.items():
        for ex in COURSE.select(SLUGS):
            code = pick(ex).read_text()
            nb = json.loads((course_dir / f"release/{ASSIGNMENT}/{ex.slug}.ipynb").read_text())
            target = course_dir / f"submitted/{student}/{ASSIGNMENT}/{ex.slug}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(fill_answer(nb, code)))
            plain = files_dir / student / ex.path
            plain.parent.mkdir(parents=True, exist_ok=True)
            plain.write_text(code)
    run_nbgrader(course_dir, "autograde", ASSIGNMENT, "--create")

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gb:
        nbgrader_scores = {
            (student, nb.name): nb.score
            for student in kinds
            for nb in gb.find_submission(ASSIGNMENT, student).notebooks
        }
    summary = grade_batch(COURSE, [files_dir], tmp_path / "grades", only=SLUGS, sandbox=False, quiet=True)
    course_scores = {(r.student, slug): e.score for r in summary.results for slug, e in r.exercises.items()}
    assert nbgrader_scores == course_scores
    for ex in COURSE.select(SLUGS):
        assert nbgrader_scores[("reference", ex.slug)] == ex.points
        assert nbgrader_scores[("starter", ex.slug)] < ex.points
        assert nbgrader_scores[("wrong", ex.slug)] < ex.points


@pytest.mark.slow  # a Jupyter kernel
def test_notebook_runs_in_a_kernel_with_top_level_await(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    course_dir = tmp_path / "nbgrader-course"
    write_nbgrader_course(COURSE, course_dir, only=["fix_blocking"])
    ex = COURSE.exercise("fix_blocking")
    nb = fill_answer(json.loads((course_dir / "source/asyncio_basics/fix_blocking.ipynb").read_text()), "")
    nb = fill_answer(nb, ex.solution.read_text())
    scratch = next(c for c in nb["cells"] if _source(c).startswith("# try your code here"))
    # The kernel's loop is running: asyncio.run would fail, top-level await works, and the answer
    # cell's functions are in the notebook.
    scratch["source"] = ["print(await fetch_all(['a', 'b'], 0.01))\n"]
    node = nbformat.reads(json.dumps(nb), as_version=4)
    nbclient.NotebookClient(node, timeout=600, allow_errors=True).execute()
    outputs = {_source(c): c.get("outputs", []) for c in node.cells if c.cell_type == "code"}
    errors = [(s[:60], o) for s, o in outputs.items() for o in o if o["output_type"] == "error"]
    assert not errors
    printed = "".join(o.get("text", "") for o in outputs["print(await fetch_all(['a', 'b'], 0.01))\n"])
    assert printed.strip() == "['<html>a</html>', '<html>b</html>']"
    public = [s for s in outputs if s.startswith("%course_test")]
    assert public
    assert all("✓" in "".join(o.get("text", "") for o in outputs[s]) for s in public)
