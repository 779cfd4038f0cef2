"""`argoplane assess -o html`: the scorecard as one self-contained HTML page."""

from __future__ import annotations

from argoplane.assess.model import Assessment, Practice
from argoplane.report.assess_markdown import points
from argoplane.report.assess_text import fact_rows
from argoplane.report.html import (
    COLORS,
    badge,
    bullets,
    esc,
    inline_code,
    page,
    table,
)
from argoplane.report.html_svg import gauge, practice_bars


def evidence_html(p: Practice) -> str:
    items = [inline_code(e.text) + (f' <span class="muted">— <code>{esc(e.file)}</code></span>'
                                    if e.file else "") for e in p.evidence]
    items += [f"<em>Note:</em> {inline_code(n)}" for n in p.notes]
    if not items:
        return ""
    return (f"<details><summary>evidence ({len(p.evidence)})</summary>{bullets(items)}"
            "</details>")


def practices_table(a: Assessment) -> str:
    rows = []
    for p in a.practices:
        score = "-" if p.level == "n/a" else (
            f'<span style="white-space:nowrap">{points(p.points)} / {points(p.weight)}</span>')
        rows.append([esc(p.title), badge(p.level), score,
                     inline_code(p.summary) + evidence_html(p)])
    return table(["Practice", "Level", "Points", "Found"], rows)


def assessment_html(a: Assessment) -> str:
    chart = practice_bars([(p.title, p.weight, [p.points]) for p in a.practices if p.applicable],
                          [(a.name, COLORS["a"])])
    body = [
        f"<h1>{esc(a.name)}: {a.score:g}/10</h1>",
        f'<p class="lead">{esc(a.grade)} · assessed by <code>argoplane assess</code> from the '
        "repository alone</p>",
        f'<div class="cards"><div class="card">{gauge(a.score, a.name, COLORS["a"])}</div>'
        f'<div class="card">{chart}</div></div>',
        "<h2>Practices</h2>", practices_table(a),
        "<h2>Facts</h2>",
        table(["Fact", "Value"],
              [[esc(label), esc(value)] for label, value in fact_rows(a.facts)]),
    ]
    if a.hints:
        body.append("<h2>Next steps</h2>")
        body.append("<ol>" + "".join(
            f"<li>{inline_code(h.text)}" + (f" <code>{esc(h.command)}</code>" if h.command
                                            else "") + "</li>" for h in a.hints) + "</ol>")
    if a.errors:
        body.append("<h2>Render errors</h2>" + bullets([esc(e) for e in a.errors]))
    return page(f"{a.name}: Argo CD assessment", "\n".join(body))
