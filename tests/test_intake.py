"""Submissions in: directories, folders of them, zips; only the course's files, never a symlink."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest
from conftest import TinyCourse

from grader import intake
from grader.intake import discover, student_name
from grader.manifest import load_course

DEMO = "exercises/demo/demo.py"
CODE = b"async def fetch_all(urls, latency):\n    return list(urls)\n"


@pytest.fixture
def exercises(tiny: TinyCourse) -> list:
    tiny.student("x = 1\n")
    tiny.write("solutions/demo/demo.py", "x = 1\n")
    tiny.public_test("def test_x():\n    pass\n")
    return list(load_course(tiny.root / "course.yml").exercises)


def _repo(base: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_bytes(data)
    return base


def _zip(path: Path, entries: dict[str, bytes], *, symlinks: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return path


def test_only_the_exercise_files_are_taken_from_a_submission(tmp_path: Path, exercises: list) -> None:
    sub = _repo(
        tmp_path / "alice",
        {
            DEMO: CODE,
            "conftest.py": b"raise SystemExit",
            "exercises/demo/conftest.py": b"raise SystemExit",
            "pytest.ini": b"[pytest]\n",
            "pyproject.toml": b"",
            "sitecustomize.py": b"",
            "exercises/demo/pytest.py": b"",
        },
    )
    (subs, problems) = discover([sub], exercises)
    assert problems == []
    assert [(s.student, s.files) for s in subs] == [("alice", {DEMO: CODE})]


def test_a_folder_of_directories_and_zips_is_a_batch(tmp_path: Path, exercises: list) -> None:
    folder = tmp_path / "downloads"
    _repo(folder / "alice", {DEMO: CODE})
    _zip(folder / "bob.zip", {DEMO: CODE})
    _zip(folder / "Carol Smith.zip", {"carol-main/" + DEMO: CODE, "carol-main/README.md": b"hi"})
    (folder / "notes.txt").write_text("not a submission")
    subs, problems = discover([folder], exercises)
    assert [(s.student, s.files) for s in subs] == [
        ("Carol_Smith", {DEMO: CODE}),
        ("alice", {DEMO: CODE}),
        ("bob", {DEMO: CODE}),
    ]
    assert problems == [f"{folder / 'notes.txt'}: not a submission (a directory or a .zip); skipped"]


def test_a_symlinked_exercise_file_is_refused_never_followed(tmp_path: Path, exercises: list) -> None:
    secret = tmp_path / "reference.py"
    secret.write_bytes(b"SECRET = 1\n")
    sub = _repo(tmp_path / "mallory", {"exercises/demo/.keep": b""})
    (sub / DEMO).symlink_to(secret)
    linked_dir = tmp_path / "trudy"
    (linked_dir / "exercises").mkdir(parents=True)
    (linked_dir / "exercises/demo").symlink_to(tmp_path / "mallory/exercises/demo")
    subs, _ = discover([sub, linked_dir], exercises)
    assert subs[0].files == {}
    assert subs[0].refused == {DEMO: f"{DEMO} is a symbolic link: refused, never followed"}
    assert subs[1].files == {}
    assert "lies under exercises/demo, which is a symbolic link" in subs[1].refused[DEMO]


@pytest.mark.parametrize(
    ("entries", "symlinks", "reason"),
    [
        ({"../evil.py": b"x"}, None, "would land outside the submission"),
        ({"exercises/../../evil.py": b"x"}, None, "would land outside the submission"),
        ({"/etc/evil.py": b"x"}, None, "has an absolute path"),
        ({DEMO: CODE}, {"exercises/demo/link.py": "/etc/passwd"}, "is a symbolic link"),
    ],
)
def test_unsafe_zips_are_reported_and_read_no_further(
    tmp_path: Path, exercises: list, entries: dict, symlinks: dict | None, reason: str
) -> None:
    archive = _zip(tmp_path / "eve.zip", entries, symlinks=symlinks)
    (sub,) = discover([archive], exercises)[0]
    assert sub.files == {}
    assert sub.error is not None
    assert reason in sub.error


def test_zip_limits_and_bad_archives_are_reported(
    tmp_path: Path, exercises: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    monkeypatch.setattr(intake, "MAX_ZIP_ENTRIES", 3)
    many = _zip(tmp_path / "many.zip", {f"f{i}.txt": b"" for i in range(4)})
    monkeypatch.setattr(intake, "MAX_FILE_BYTES", 10)
    big = _zip(tmp_path / "big.zip", {DEMO: b"x" * 11})
    subs, _ = discover([tmp_path / "broken.zip", many, big], exercises)
    errors = {s.student: s.error or s.refused.get(DEMO) for s in subs}
    assert errors["broken"].startswith("not a readable zip archive")
    assert errors["many"] == "the archive has 4 entries (limit 3)"
    assert errors["big"] == f"{DEMO} is larger than 10 bytes"


def test_the_digest_depends_on_content_only(tmp_path: Path, exercises: list) -> None:
    a = discover([_repo(tmp_path / "a", {DEMO: CODE})], exercises)[0][0]
    b = discover([_zip(tmp_path / "b.zip", {DEMO: CODE})], exercises)[0][0]
    c = discover([_repo(tmp_path / "c", {DEMO: CODE + b"# more\n"})], exercises)[0][0]
    assert a.digest() == b.digest() != c.digest()


@pytest.mark.parametrize(
    ("name", "safe"),
    [("alice", "alice"), ("Ana María (2).zip", "Ana_Mar_a_2"), ("../../etc", "etc"), ("...", "unnamed")],
)
def test_student_names_are_safe_file_names(name: str, safe: str) -> None:
    assert student_name(name) == safe
