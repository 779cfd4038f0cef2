"""`argoplane compare -o html`: the comparison report as one self-contained HTML page."""

from __future__ import annotations

from argoplane.assess.compare import Comparison, Section, Side, Winner
from argoplane.assess.model import LEVEL_CREDIT, Plan, Recommendation
from argoplane.assess.practices import plural
from argoplane.assess.proposal import PHASES
from argoplane.report.assess_markdown import points
from argoplane.report.compare_markdown import verified_text
from argoplane.report.html import (
    COLORS,
    badge,
    bullets,
    code_block,
    esc,
    inline_code,
    page,
    table,
)
from argoplane.report.html_assess import evidence_html
from argoplane.report.html_svg import gauge, practice_bars


def _ahead(c: Comparison, side: Winner) -> str:
    if side == "tie":
        return '<span class="ahead tie">tie</span>'
    return f'<span class="ahead {side}">{esc(c.name(side))}</span>'


def _side(name: str, side: Side, color: str) -> str:
    parts = [f'<h3><span class="swatch" style="background:{color}"></span> {esc(name)}</h3>']
    parts += [code_block(s, caption=s.caption != name) for s in side.snippets]
    parts.append(bullets([f"{badge(level)} {inline_code(text)}" for level, text in side.marks]
                         + [inline_code(b) for b in side.bullets]))
    return "<div>" + "".join(parts) + "</div>"


def _section(c: Comparison, number: int, s: Section) -> str:
    parts = [f'<h2 id="{esc(s.id)}">{number}. {esc(s.title)}</h2>', f"<p>{esc(s.intro)}</p>"]
    if s.rows:
        parts.append(table(["", esc(c.names[0]), esc(c.names[1])],
                           [[esc(label), esc(a), esc(b)] for label, a, b in s.rows]))
    if any((x.bullets, x.snippets, x.marks) != ([], [], []) for x in (s.a, s.b)):
        layout = "stack" if s.wide else "grid"
        parts.append(f'<div class="{layout}">' + _side(c.names[0], s.a, COLORS["a"])
                     + _side(c.names[1], s.b, COLORS["b"]) + "</div>")
    return "\n".join(parts)


def _practices(c: Comparison, number: int) -> str:
    rows = []
    for pa, pb in zip(c.a.practices, c.b.practices, strict=True):
        ca, cb = LEVEL_CREDIT[pa.level], LEVEL_CREDIT[pb.level]
        ahead: Winner = "a" if ca > cb else ("b" if cb > ca else "tie")
        rows.append([esc(pa.title), f"{badge(pa.level)} {inline_code(pa.summary)}"
                     f"{evidence_html(pa)}", f"{badge(pb.level)} {inline_code(pb.summary)}"
                     f"{evidence_html(pb)}", _ahead(c, ahead)])
    return (f'<h2 id="practices">{number}. Best practices</h2>'
            + table(["Practice", esc(c.names[0]), esc(c.names[1]), "Ahead"], rows))


def _strengths(c: Comparison, number: int) -> str:
    cols = []
    for name, strengths, weaknesses, color in (
            (c.names[0], c.strengths[0], c.weaknesses[0], COLORS["a"]),
            (c.names[1], c.strengths[1], c.weaknesses[1], COLORS["b"])):
        cols.append(
            f'<div><h3><span class="swatch" style="background:{color}"></span> {esc(name)}</h3>'
            "<h4>Strengths</h4>"
            + (bullets([f'<span class="ok">✓</span> {inline_code(s)}' for s in strengths])
               or "<p>none found</p>")
            + "<h4>Weaknesses</h4>"
            + (bullets([f'<span class="bad">✗</span> {inline_code(w)}' for w in weaknesses])
               or "<p>none found</p>") + "</div>")
    return (f'<h2 id="strengths">{number}. Strengths and weaknesses</h2>'
            f'<div class="grid">{"".join(cols)}</div>')


def _scores(c: Comparison, number: int) -> str:
    rows = []
    for pa, pb in zip(c.a.practices, c.b.practices, strict=True):
        rows.append([esc(pa.title), points(pa.weight),
                     "n/a" if pa.level == "n/a" else points(pa.points),
                     "n/a" if pb.level == "n/a" else points(pb.points)])
    rows.append(["<strong>Score</strong>", "<strong>10</strong>",
                 f"<strong>{c.a.score:g}</strong>", f"<strong>{c.b.score:g}</strong>"])
    chart = practice_bars(
        [(pa.title, pa.weight, [pa.points, pb.points])
         for pa, pb in zip(c.a.practices, c.b.practices, strict=True)],
        [(c.names[0], COLORS["a"]), (c.names[1], COLORS["b"])])
    return (f'<h2 id="scores">{number}. Scores</h2><p>Points per practice out of 10: a practice '
            "fully in place earns its weight, a partial one half. The bars show the share of "
            f"each weight earned.</p>{chart}"
            + table(["Practice", "Weight", esc(c.names[0]), esc(c.names[1])], rows))


def _recommendation(index: int, r: Recommendation) -> str:
    parts = [f"<h4>{index}. {esc(r.title)}</h4>", f"<p>{inline_code(r.text)}</p>"]
    if r.command:
        parts.append(f"<p>With argoplane: <code>{esc(r.command)}</code></p>")
    parts.append(bullets([inline_code(b) for b in r.bullets]))
    for f in r.files:
        if f.action == "create":
            parts.append(f'<div class="muted">new file <code>{esc(f.path)}</code></div>'
                         f"<pre><code>{esc(f.content.rstrip())}</code></pre>")
    deleted = [f.path for f in r.files if f.action == "delete"]
    if deleted:
        parts.append(f"<p>Delete {len(deleted)} files it replaces: "
                     + ", ".join(f"<code>{esc(p)}</code>" for p in deleted) + ".</p>")
    edits = [f for f in r.files if f.action == "edit"]
    if edits:
        parts.append(f"<p>Change {len(edits)} files ({esc(edits[0].note)}): "
                     + ", ".join(f"<code>{esc(f.path)}</code>" for f in edits)
                     + f"</p><pre><code>{esc(edits[0].content.rstrip())}</code></pre>")
    for s in r.snippets:
        parts.append(f'<div class="muted">{esc(s.caption)}</div>'
                     f"<pre><code>{esc(s.code.rstrip())}</code></pre>")
    return "".join(parts)


def _verification(plan: Plan) -> str:
    v = plan.verification
    if v is None or not plan.files:
        return ""
    if v.ok:
        return f'<p><span class="ok">Verified.</span> {esc(verified_text(plan))}</p>'
    return (f'<p><span class="bad">Not verified.</span> Applied to a copy of {esc(plan.repo)}, '
            f"the phase 1 files give {plural(len(v.problems), 'problem')}:</p>"
            + bullets([esc(p) for p in v.problems[:20]]))


def _plan(c: Comparison, number: int) -> str:
    weaker = c.name(c.weaker)
    parts = [f'<h2 id="recommendations">{number}. Recommendations for {esc(weaker)}</h2>']
    if not c.plan.recommendations:
        return parts[0] + f"<p>{esc(weaker)} has every practice in place.</p>"
    parts.append(f"<p>{esc(weaker)} scores lower, so the steps below are written for it. The "
                 "files are generated from its own Applications.</p>")
    index = 0
    for phase, title in PHASES.items():
        items = [r for r in c.plan.recommendations if r.phase == phase]
        if not items:
            continue
        parts.append(f"<h3>Phase {phase}: {esc(title)}</h3>")
        for r in items:
            index += 1
            parts.append(_recommendation(index, r))
        if phase == 1:
            parts.append(_verification(c.plan))
    return "\n".join(parts)


def comparison_html(c: Comparison) -> str:
    a, b = c.names
    summary = table(["Aspect", esc(a), esc(b), "Ahead"],
                    [[f"<strong>{esc(r.title)}</strong>", esc(r.a), esc(r.b),
                      _ahead(c, r.winner)] for r in c.aspects])
    body = [
        f"<h1>{esc(a)} and {esc(b)}</h1>",
        '<p class="lead">Argo CD repositories compared by <code>argoplane compare</code>, '
        "from the repositories alone.</p>",
        '<div class="cards">'
        f'<div class="card">{gauge(c.a.score, a, COLORS["a"])}</div>'
        f'<div class="card">{gauge(c.b.score, b, COLORS["b"])}</div>'
        f'<div class="card" style="max-width:560px"><strong>Overall.</strong> '
        f"{esc(c.overall)}</div></div>",
        '<h2 id="summary">Summary</h2>', summary,
    ]
    number = 0
    for section in c.sections:
        number += 1
        body.append(_section(c, number, section))
    body += [_practices(c, number + 1), _strengths(c, number + 2), _scores(c, number + 3),
             _plan(c, number + 4)]
    return page(f"{a} and {b}: Argo CD comparison", "\n".join(body))
