"""The docs stay true: every command is documented with an example, and the README opens right."""

from __future__ import annotations

import argparse
import inspect
import re
from pathlib import Path

import pytest

from grader import cli

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_readme_opens_with_the_two_fresh_machine_commands() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [
        ["make", "check"],
        ["make", "test"],
    ]


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_has_a_readme_section_with_an_example(command: str) -> None:
    section = re.search(rf"^### `course {command}`\n(.*?)(?=^### |^## )", README, re.S | re.M)
    assert section, f"README.md has no '### `course {command}`' section"
    assert re.search(rf"```sh\n(.*\n)*?course {command}\b", section.group(1)), (
        f"the README section of course {command} has no example"
    )


def test_every_readme_command_section_is_a_real_command() -> None:
    documented = set(re.findall(r"^### `course (\w+)`", README, re.M))
    assert documented == set(_commands())


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_function_has_a_docstring_with_an_example(command: str) -> None:
    func = getattr(cli, f"cmd_{command}")
    doc = inspect.getdoc(func) or ""
    assert "Example:" in doc
    assert f"course {command}" in doc


def test_every_make_target_named_in_the_readme_exists() -> None:
    makefile = (REPO / "Makefile").read_text()
    for target in set(re.findall(r"`make (\w+)`", README)):
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile has no target {target}"


def test_ci_runs_make_test_and_nothing_else() -> None:
    lines = [
        line.strip()
        for line in (REPO / ".ci/run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[-1] == "make test"
    assert not any(line.startswith(("pytest", "python", "course")) for line in lines)
