"""The same batch through a local process pool and through dask.distributed (a LocalCluster)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import TinyCourse

from grader.grading import grade_batch
from grader.intake import discover
from grader.manifest import load_course
from grader.tasks import GradeTask, run_task

pytestmark = pytest.mark.slow

BODIES = {
    "alice": "async def fetch_all(urls, latency):\n    return list(urls)\n",
    "bob": "async def fetch_all(urls, latency):\n    return list(urls)[:1]\n",
    "carol": "async def fetch_all(urls, latency):\n    return []\n",
}


def _course(tiny: TinyCourse) -> TinyCourse:
    tiny.fetch_all_exercise()
    for name, body in BODIES.items():
        (tiny.root / "subs" / name / "exercises/demo").mkdir(parents=True)
        (tiny.root / "subs" / name / "exercises/demo/demo.py").write_text(body)
    return tiny


def test_a_task_run_twice_gives_the_same_result_and_leaves_nothing(
    tiny: TinyCourse, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _course(tiny).root
    course = load_course(root / "course.yml")
    (sub,), _ = discover([root / "subs/bob"], course.exercises)
    task = GradeTask.build(course, sub, list(course.exercises))
    scratch = Path(tempfile.mkdtemp(prefix="course-kit-test-"))
    scratch.chmod(0o755)  # like /tmp: the runs' own uid must be able to list it
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    try:
        first, second = run_task(task), run_task(task)
        assert first == second
        assert first["exercises"]["demo"]["score"] == 1
        assert list(scratch.iterdir()) == []  # every workspace removed; results only come back as data
    finally:
        scratch.rmdir()


def test_dask_local_cluster_grades_exactly_like_the_process_pool(tiny: TinyCourse) -> None:
    distributed = pytest.importorskip("distributed")
    root = _course(tiny).root
    course = load_course(root / "course.yml")
    local = grade_batch(course, [root / "subs"], root / "out-local", jobs=2, quiet=True)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        spread = grade_batch(
            course,
            [root / "subs"],
            root / "out-dask",
            executor="dask",
            scheduler=cluster.scheduler_address,
            quiet=True,
        )
    assert [(r.student, r.to_dict()) for r in spread.results] == [
        (r.student, r.to_dict()) for r in local.results
    ]
    assert {r.student: r.total for r in spread.results} == {"alice": 3, "bob": 1, "carol": 0}
    assert (root / "out-dask/gradebook.csv").read_text() == (root / "out-local/gradebook.csv").read_text()
