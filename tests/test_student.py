"""Loading the student's file: one-line verdicts, whether it is imported or only compiled."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.student import StudentCodeError, compile_student_file, load_student_module


def test_compile_student_file_refuses_a_missing_file_and_a_syntax_error(tmp_path: Path) -> None:
    with pytest.raises(StudentCodeError, match=r"^ex\.py was not found") as missing:
        compile_student_file(tmp_path / "ex.py")
    assert missing.value.kind == "missing"
    (tmp_path / "ex.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    with pytest.raises(StudentCodeError, match=r"^ex\.py has a syntax error at line 1") as syntax:
        compile_student_file(tmp_path / "ex.py")
    assert syntax.value.kind == "syntax"


def test_compile_student_file_does_not_run_the_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    (tmp_path / "ex.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    compile_student_file(tmp_path / "ex.py")
    assert not marker.exists()
    load_student_module(tmp_path / "ex.py", name="ex_loaded_once")
    assert marker.exists()
