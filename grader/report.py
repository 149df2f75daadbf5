"""``report.html``: one static page about a batch, readable offline.

The score distribution and the pass rate per test are inline SVG, the styles are inline: the page
loads nothing from anywhere (no scripts, fonts or images), so it opens the same from a USB stick,
an LMS attachment or a browser with no network. Sections: summary, score distribution, pass rate
per test, most common failure reasons, flagged submissions, problems with the input, and every
student with links to their feedback and JSON.

Example::

    >>> html = render(results, course.exercises, problems=[])      # doctest: +SKIP
    >>> "<svg" in html and "http" not in html                      # doctest: +SKIP
    True
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from html import escape
from urllib.parse import quote

from grader.manifest import Exercise
from grader.results import SubmissionResult
from grader.sandbox import Isolation

BAR = "#2f6db5"  # the plots' colour: tests look for it in a screenshot
FAIL = "#c0392b"
BINS = 10


def _histogram(percentages: list[float]) -> str:
    counts = [0] * BINS
    for p in percentages:
        counts[min(BINS - 1, int(p // (100 / BINS)))] += 1
    width, height, pad = 560, 220, 30
    top = max(counts) or 1
    bar_w = (width - 2 * pad) / BINS
    parts = [
        f'<svg class="plot" id="distribution" width="{width}" height="{height + 40}" '
        f'viewBox="0 0 {width} {height + 40}" role="img" aria-label="score distribution">'
    ]
    for i, n in enumerate(counts):
        h = (height - pad) * n / top
        x = pad + i * bar_w
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{height - h:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" '
            f'fill="{BAR}">'
            f"<title>{i * 10}-{(i + 1) * 10}%: {n}</title></rect>"
        )
        if n:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - h - 4:.1f}" text-anchor="middle">{n}</text>'
            )
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height + 16}" text-anchor="middle">{i * 10}%</text>')
    parts.append(f'<line x1="{pad}" y1="{height}" x2="{width - pad}" y2="{height}" stroke="#333"/>')
    parts.append(f'<text x="{width / 2}" y="{height + 36}" text-anchor="middle">share of points</text></svg>')
    return "".join(parts)


def _pass_rates(
    results: list[SubmissionResult], exercises: list[Exercise]
) -> list[tuple[str, str, float, int]]:
    """(exercise, test, pass rate, runs) for every test that ran, in course order."""
    rates: dict[tuple[str, str], list[int]] = {}
    for ex in exercises:
        for res in results:
            er = res.exercises.get(ex.slug)
            for t in er.tests if er else []:
                rates.setdefault((ex.slug, t.name), []).append(t.status == "passed")
    return [(slug, name, sum(v) / len(v), len(v)) for (slug, name), v in rates.items()]


def _rate_chart(rates: list[tuple[str, str, float, int]]) -> str:
    row, label_w, bar_max = 22, 470, 300
    height = row * len(rates) + 10
    parts = [
        f'<svg class="plot" id="pass-rates" width="{label_w + bar_max + 70}" height="{height}" '
        f'viewBox="0 0 {label_w + bar_max + 70} {height}" role="img" aria-label="pass rate per test">'
    ]
    for i, (slug, name, rate, runs) in enumerate(rates):
        y = 5 + i * row
        label = f"{slug} · {name}"
        # at 11px a character is about 6px wide: cut long names rather than draw past the edge
        label = escape(label if len(label) <= 74 else label[:73] + "…")
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{label}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_max}" height="{row - 6}" fill="#eee"/>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_max * rate:.1f}" height="{row - 6}" fill="{BAR}">'
            f"<title>{rate:.0%} of {runs}</title></rect>"
        )
        parts.append(f'<text x="{label_w + bar_max + 6}" y="{y + 15}">{rate:.0%}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _reason(message: str) -> str:
    """A failure message reduced to its reason: first line, numbers and quoted values generalised."""
    first = message.strip().splitlines()[0] if message.strip() else "(no message)"
    first = re.sub(r"\d+(\.\d+)?", "N", first)
    return first[:200]


def _failure_reasons(results: list[SubmissionResult]) -> list[tuple[str, int]]:
    counter: Counter[str] = Counter()
    for res in results:
        for er in res.exercises.values():
            if not er.tests and er.status != "passed":
                counter[f"{er.slug}: {_reason(er.message)}"] += 1
            for t in er.tests:
                if t.status != "passed":
                    counter[f"{er.slug} · {t.name}: {_reason(t.message)}"] += 1
    return counter.most_common(15)


STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; } td, th { padding: 3px 8px; border-bottom: 1px solid #eee;
text-align: left; vertical-align: top; } th { background: #f6f6f6; } .num { text-align: right; }
.plot text { font-size: 11px; fill: #333; } .stats span { margin-right: 2em; } .flag { color: #c0392b; }
code { background: #f3f3f3; padding: 0 3px; }
"""


def render(results: list[SubmissionResult], exercises: list[Exercise], problems: list[str]) -> str:
    """The whole page as text (pure)."""
    results = sorted(results, key=lambda r: r.student)
    pct = [100 * r.total / r.max_total if r.max_total else 0 for r in results]
    full = sum(1 for r in results if r.max_total and r.total == r.max_total)
    stats = (
        f"<span><b>{len(results)}</b> submissions</span>"
        f"<span>mean <b>{statistics.mean(pct):.1f}%</b></span>"
        f"<span>median <b>{statistics.median(pct):.1f}%</b></span>"
        f"<span><b>{full}</b> with full marks</span>"
        if results
        else "<span>no submissions graded</span>"
    )
    isolation = {Isolation(**r.isolation).describe() if r.isolation else "unknown" for r in results}
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Grading report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Grading report</h1>",
        f'<p class="stats">{stats}</p>',
        f"<p>Isolation in force: {escape('; '.join(sorted(isolation)) or 'n/a')}.</p>",
        "<h2>Score distribution</h2>",
        _histogram(pct),
        "<h2>Pass rate per test</h2>",
        _rate_chart(_pass_rates(results, exercises)),
        "<h2>Most common failure reasons</h2>",
        "<table><tr><th>reason</th><th class=num>count</th></tr>",
    ]
    reasons = _failure_reasons(results)
    out += [f"<tr><td>{escape(r)}</td><td class=num>{n}</td></tr>" for r, n in reasons]
    if not reasons:
        out.append("<tr><td>none</td><td></td></tr>")
    out.append("</table>")
    flagged = [(r.student, f) for r in results for f in r.flags]
    out += ["<h2>Flagged for review</h2>"]
    if flagged:
        out.append("<table><tr><th>student</th><th>where</th><th>construct</th><th>why</th></tr>")
        out += [
            f'<tr><td class="flag">{escape(s)}</td><td><code>{escape(f["file"])}:{f["line"]}</code></td>'
            f"<td><code>{escape(f['construct'])}</code></td><td>{escape(f['why'])}</td></tr>"
            for s, f in flagged
        ]
        out.append("</table>")
    else:
        out.append("<p>Nothing flagged.</p>")
    if problems:
        out += ["<h2>Input problems</h2><ul>", *(f"<li>{escape(p)}</li>" for p in problems), "</ul>"]
    out += ["<h2>Students</h2><table><tr><th>student</th>"]
    out += [f"<th class=num>{escape(ex.slug)}</th>" for ex in exercises]
    out.append("<th class=num>total</th><th>files</th></tr>")
    for r in results:
        link = quote(r.student)
        cells = "".join(
            f"<td class=num>{r.exercises[ex.slug].score:g}</td>" if ex.slug in r.exercises else "<td></td>"
            for ex in exercises
        )
        out.append(
            f"<tr><td>{escape(r.student)}</td>{cells}<td class=num>{r.total:g}/{r.max_total:g}</td>"
            f'<td><a href="feedback/{link}.md">feedback</a> · '
            f'<a href="results/{link}.json">json</a></td></tr>'
        )
    out += ["</table>", "</body></html>", ""]
    return "\n".join(out)
