"""Shared fixtures of the kit's own tests: small throwaway courses written on the fly."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.loop import GradingLoop

COURSE_YML = """\
format_version: 1
title: Tiny course
grading:
  timeout: {timeout}
  hard_timeout_grace: 3
modules:
  - slug: basics
    title: Basics
exercises:
  - slug: demo
    title: Demo exercise
    module: basics
    path: exercises/demo/demo.py
    points: {points}
    topics: [testing the kit]
    api:
      - "async def fetch_all(urls, latency)"
    hints:
      - first hint, the concept
      - second hint, the API
"""


GOOD_FETCH_ALL = "async def fetch_all(urls, latency):\n    return list(urls)\n"


class TinyCourse:
    """A one-exercise course in a temporary directory, to run the plugin and the CLI against."""

    def __init__(self, root: Path, *, points: int = 3, timeout: float = 5) -> None:
        self.root = root
        (root / "exercises/demo").mkdir(parents=True, exist_ok=True)
        (root / "solutions/demo/hidden").mkdir(parents=True, exist_ok=True)
        (root / "course.yml").write_text(COURSE_YML.format(points=points, timeout=timeout))

    def write(self, rel: str, source: str) -> Path:
        """Write a file of the course (dedented) and return its path."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
        return path

    def student(self, source: str) -> Path:
        return self.write("exercises/demo/demo.py", source)

    def public_test(self, source: str) -> Path:
        return self.write("exercises/demo/test_demo.py", source)

    def hidden_test(self, source: str) -> Path:
        return self.write("solutions/demo/hidden/test_demo_hidden.py", source)

    def fetch_all_exercise(self, *, hidden_comment: str = "") -> TinyCourse:
        """The demo exercise ready to grade: a starter that returns nothing, a correct reference,
        a public test worth 1 point (one url) and a hidden one worth 2 (two urls, in order)."""
        self.student("async def fetch_all(urls, latency):\n    return []\n")
        self.write("solutions/demo/demo.py", GOOD_FETCH_ALL)
        self.public_test("""\
            import pytest
            pytestmark = pytest.mark.exercise("demo")

            async def test_bodies(student):
                assert await student.fetch_all(["a"], 1) == ["a"], "one body per url"
        """)
        self.hidden_test(f"""\
            import pytest
            pytestmark = pytest.mark.exercise("demo")

            @pytest.mark.points(2)
            async def test_many(student):
                # {hidden_comment}
                assert await student.fetch_all(["a", "b"], 1) == ["a", "b"], "every url, in order"
        """)
        return self


@pytest.fixture
def tiny(tmp_path: Path) -> TinyCourse:
    """An empty tiny course (write its files with .student(), .public_test(), .hidden_test())."""
    return TinyCourse(tmp_path)


def run_on_grading_loop(coro_fn, *, virtual: bool = True):
    """Run ``coro_fn()`` to its end on a fresh grading loop (virtual time unless told otherwise)."""
    loop = GradingLoop(virtual=virtual)
    try:
        return loop.run_until_complete(coro_fn())
    finally:
        loop.close()
