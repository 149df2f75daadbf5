"""course reset: asks first, backs the student's file up, restores the starter from git."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from conftest import GOOD_FETCH_ALL, TinyCourse

from grader.cli import main
from grader.progress import Progress

STARTER = "async def fetch_all(urls, latency):\n    return []\n"


def _git(root: Path, *args: str) -> str:
    cmd = ["git", "-C", str(root), "-c", "user.name=Kit", "-c", "user.email=kit@example.org", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tiny: TinyCourse) -> TinyCourse:
    """The tiny course committed as shipped (as in the kit's repository or a student's clone)."""
    tiny.fetch_all_exercise()
    _git(tiny.root, "init", "-q")
    _git(tiny.root, "add", "-A")
    _git(tiny.root, "commit", "-qm", "starters")
    return tiny


def _reset(repo: TinyCourse, *args: str) -> int:
    return main(["--course", str(repo.root / "course.yml"), "reset", "demo", *args])


def test_asks_first_and_changes_nothing_on_no(
    repo: TinyCourse, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = repo.student(GOOD_FETCH_ALL)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert _reset(repo) == 1
    out = capsys.readouterr().out
    assert "Reset exercises/demo/demo.py to its starter (git HEAD); your version will be kept in " in out
    assert "Nothing changed." in out
    assert mine.read_text() == GOOD_FETCH_ALL
    assert not (repo.root / ".course-backups").exists()


def test_yes_backs_up_then_restores_and_says_where(
    repo: TinyCourse, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = repo.student(GOOD_FETCH_ALL)
    Progress(repo.root / ".course-state.json", done={"demo": True}).save()
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert _reset(repo) == 0
    assert "your version is in .course-backups/demo/demo.py.1." in capsys.readouterr().out
    assert mine.read_text() == STARTER
    assert (repo.root / ".course-backups/demo/demo.py.1").read_text() == GOOD_FETCH_ALL
    assert Progress.load(repo.root / ".course-state.json").done == {"demo": False}


def test_flag_yes_does_not_ask_and_never_overwrites_a_backup(
    repo: TinyCourse, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # any question would read EOF and mean no
    for version in ("# first try\n", "# second try\n"):
        repo.student(version)
        assert _reset(repo, "--yes") == 0
    backups = repo.root / ".course-backups/demo"
    assert (backups / "demo.py.1").read_text() == "# first try\n"
    assert (backups / "demo.py.2").read_text() == "# second try\n"
    assert "[y/N]" not in capsys.readouterr().out


def test_a_file_already_the_starter_is_left_alone(
    repo: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _reset(repo, "--yes") == 0
    assert "is the same as at git HEAD: nothing to reset." in capsys.readouterr().out
    assert not (repo.root / ".course-backups").exists()


def test_a_deleted_file_is_restored_without_a_backup(repo: TinyCourse) -> None:
    (repo.root / "exercises/demo/demo.py").unlink()
    assert _reset(repo, "--yes") == 0
    assert (repo.root / "exercises/demo/demo.py").read_text() == STARTER
    assert not (repo.root / ".course-backups").exists()


def test_committed_work_is_reset_from_the_revision_named(
    repo: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _git(repo.root, "rev-parse", "HEAD")
    repo.student(GOOD_FETCH_ALL)
    _git(repo.root, "commit", "-qam", "my work")
    assert _reset(repo, "--yes") == 0  # HEAD is the student's own work now: nothing to restore
    assert "name the commit that has the starter: --from REV." in capsys.readouterr().out
    assert (repo.root / "exercises/demo/demo.py").read_text() == GOOD_FETCH_ALL
    assert _reset(repo, "--yes", "--from", first) == 0
    assert (repo.root / "exercises/demo/demo.py").read_text() == STARTER


def test_outside_git_it_says_where_starters_come_from(
    tiny: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny.fetch_all_exercise()
    assert main(["--course", str(tiny.root / "course.yml"), "reset", "demo", "--yes"]) == 2
    err = capsys.readouterr().err
    assert "course reset: no starter for exercises/demo/demo.py at git revision 'HEAD': " in err
    assert "not a git repository" in err


def test_an_unknown_revision_is_named(repo: TinyCourse, capsys: pytest.CaptureFixture[str]) -> None:
    assert _reset(repo, "--yes", "--from", "nosuchrev") == 2
    assert "at git revision 'nosuchrev'" in capsys.readouterr().err


def _record_starter(repo: TinyCourse) -> None:
    digest = hashlib.sha256(STARTER.encode()).hexdigest()
    (repo.root / "starters.sha256").write_text(f"{digest}  exercises/demo/demo.py\n")
    _git(repo.root, "add", "starters.sha256")
    _git(repo.root, "commit", "-qm", "release record")


def test_committed_work_is_reset_to_the_starter_the_release_recorded(
    repo: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    _record_starter(repo)
    for attempt in ("async def fetch_all(urls, latency):\n    pass\n", GOOD_FETCH_ALL):
        repo.student(attempt)
        _git(repo.root, "commit", "-qam", "my work")
    assert _reset(repo, "--yes") == 0
    assert (repo.root / "exercises/demo/demo.py").read_text() == STARTER
    assert (repo.root / ".course-backups/demo/demo.py.1").read_text() == GOOD_FETCH_ALL
    assert "Restored exercises/demo/demo.py from git " in capsys.readouterr().out


def test_a_recorded_starter_no_commit_holds_is_named(
    repo: TinyCourse, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo.root / "starters.sha256").write_text(f"{'0' * 64}  exercises/demo/demo.py\n")
    assert _reset(repo, "--yes") == 2
    err = capsys.readouterr().err
    assert "no git commit holds exercises/demo/demo.py as it was released (starters.sha256)" in err
