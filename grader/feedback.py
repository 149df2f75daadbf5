"""``feedback/<student>.md``: per exercise, the score and the teaching messages.

Hidden tests appear by name with their message (written to teach without giving the test away),
never with their source, which this module does not even read.

Example::

    >>> print(render(result, course))                       # doctest: +SKIP
    # Feedback for alice
    ...
"""

from __future__ import annotations

from grader.manifest import Course
from grader.results import SubmissionResult

_MARK = {"passed": "✓", "failed": "✗", "error": "!", "timeout": "⏱", "missing": "–"}


def _quote(message: str) -> str:
    return "\n".join(f"  > {line}" if line else "  >" for line in message.strip().splitlines())


def render(result: SubmissionResult, course: Course) -> str:
    """The Markdown feedback for one student (pure: the same result gives the same text)."""
    titles = {ex.slug: ex.title for ex in course.exercises}
    lines = [
        f"# Feedback for {result.student}",
        "",
        f"**Total: {result.total:g}/{result.max_total:g}**",
        "",
    ]
    for slug, ex in result.exercises.items():
        lines.append(f"## {titles.get(slug, slug)} (`{slug}`): {ex.score:g}/{ex.max_score:g} {ex.status}")
        lines.append("")
        if ex.message:
            lines += [ex.message, ""]
        for test in ex.tests:
            hidden = " (hidden test)" if test.visibility == "hidden" else ""
            mark = _MARK.get(test.status, "?")
            lines.append(f"- {mark} `{test.name}`{hidden}: {test.score:g}/{test.max_score:g}")
            if test.status != "passed" and test.message:
                lines.append(_quote(test.message))
        if ex.tests:
            lines.append("")
    if result.flags:
        lines += [
            "## Flagged for the instructor's review",
            "",
            "These constructs can interfere with grading. They did not change your score; your "
            "instructor may ask about them.",
            "",
        ]
        lines += [f"- `{f['file']}:{f['line']}` `{f['construct']}`: {f['why']}" for f in result.flags]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
