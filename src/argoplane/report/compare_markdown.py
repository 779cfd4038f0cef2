"""`argoplane compare -o markdown`: the comparison report as a Markdown document."""

from __future__ import annotations

from argoplane.assess.compare import Comparison, Section, Side, Winner
from argoplane.assess.model import LEVEL_CREDIT, Plan, Recommendation
from argoplane.assess.practices import plural
from argoplane.assess.proposal import PHASES
from argoplane.report.assess_markdown import ICON, MARK, cell, fence, points

AHEAD = "🏆"


def _winner(c: Comparison, side: Winner) -> str:
    return "tie" if side == "tie" else f"{AHEAD} {c.name(side)}"


def _side(lines: list[str], name: str, side: Side) -> None:
    if not side.bullets and not side.snippets and not side.marks:
        return
    lines += [f"### {name}", ""]
    for snippet in side.snippets:
        if snippet.caption and snippet.caption != name:
            lines += [f"`{snippet.caption}`:", ""]
        lines += [fence(snippet.code, snippet.language), ""]
    items = [f"{ICON[level]} {text}" for level, text in side.marks] + side.bullets
    lines += [f"- {item}" for item in items]
    if items:
        lines.append("")


def _section(lines: list[str], c: Comparison, number: int, section: Section) -> None:
    lines += [f"## {number}. {section.title}", "", section.intro, ""]
    if section.rows:
        lines += [f"| | {cell(c.names[0])} | {cell(c.names[1])} |", "|---|---|---|"]
        lines += [f"| {cell(label)} | {cell(a)} | {cell(b)} |" for label, a, b in section.rows]
        lines.append("")
    _side(lines, c.names[0], section.a)
    _side(lines, c.names[1], section.b)


def _practices(lines: list[str], c: Comparison, number: int) -> None:
    lines += [f"## {number}. Best practices", "",
              "Each practice as `argoplane assess` detects it; the evidence is in "
              "`argoplane assess -o markdown` for each repository.", "",
              f"| Practice | {cell(c.names[0])} | {cell(c.names[1])} | Ahead |",
              "|---|---|---|---|"]
    for pa, pb in zip(c.a.practices, c.b.practices, strict=True):
        ca, cb = LEVEL_CREDIT[pa.level], LEVEL_CREDIT[pb.level]
        ahead: Winner = "a" if ca > cb else ("b" if cb > ca else "tie")
        lines.append(f"| {cell(pa.title)} | {MARK[pa.level]}: {cell(pa.summary)} | "
                     f"{MARK[pb.level]}: {cell(pb.summary)} | {_winner(c, ahead)} |")
    lines.append("")


def _strengths(lines: list[str], c: Comparison, number: int) -> None:
    lines += [f"## {number}. Strengths and weaknesses", ""]
    for name, strengths, weaknesses in ((c.names[0], c.strengths[0], c.weaknesses[0]),
                                        (c.names[1], c.strengths[1], c.weaknesses[1])):
        lines += [f"### {name}", "", "**Strengths**", ""]
        lines += [f"- ✅ {s}" for s in strengths] or ["- none found"]
        lines += ["", "**Weaknesses**", ""]
        lines += [f"- ❌ {w}" for w in weaknesses] or ["- none found"]
        lines.append("")


def _scores(lines: list[str], c: Comparison, number: int) -> None:
    lines += [f"## {number}. Scores", "",
              "Points per practice out of 10 (weights and rules: `docs/assess.md`). A practice "
              "fully in place earns its weight, a partial one half.", "",
              f"| Practice | Weight | {cell(c.names[0])} | {cell(c.names[1])} |",
              "|---|---|---|---|"]
    for pa, pb in zip(c.a.practices, c.b.practices, strict=True):
        va = "n/a" if pa.level == "n/a" else points(pa.points)
        vb = "n/a" if pb.level == "n/a" else points(pb.points)
        lines.append(f"| {cell(pa.title)} | {points(pa.weight)} | {va} | {vb} |")
    lines.append(f"| **Score** | **10** | **{c.a.score:g}** | **{c.b.score:g}** |")
    lines += ["", f"- **{c.names[0]}: {c.a.score:g}/10**, {c.a.grade}",
              f"- **{c.names[1]}: {c.b.score:g}/10**, {c.b.grade}", ""]


def _recommendation(lines: list[str], index: int, r: Recommendation) -> None:
    lines += [f"#### {index}. {r.title}", "", r.text, ""]
    if r.command:
        lines += [f"With argoplane: `{r.command}`.", ""]
    for bullet in r.bullets:
        lines.append(f"- {bullet}")
    if r.bullets:
        lines.append("")
    for f in r.files:
        if f.action == "create":
            lines += [f"New file `{f.path}`:", "", fence(f.content, "yaml"), ""]
    deleted = [f.path for f in r.files if f.action == "delete"]
    if deleted:
        lines += [f"Delete {len(deleted)} files it replaces: "
                  + ", ".join(f"`{p}`" for p in deleted) + ".", ""]
    edits = [f for f in r.files if f.action == "edit"]
    if edits:
        lines += [f"Change {len(edits)} files ({edits[0].note}): "
                  + ", ".join(f"`{f.path}`" for f in edits) + ":", "",
                  fence(edits[0].content, "yaml"), ""]
    for snippet in r.snippets:
        lines += [f"*{snippet.caption}*:", "", fence(snippet.code, snippet.language), ""]


def verified_text(plan: Plan) -> str:
    """What the verification of a proposal showed, in one paragraph."""
    v = plan.verification
    assert v is not None
    parts = [f"The phase 1 files above were applied to a copy of {plan.repo} and rendered by "
             f"argoplane: all {v.applications} Applications render exactly the {v.resources} "
             "resources they render today"]
    if v.generated:
        parts.append(f"the ApplicationSet generates {v.generated} of them")
    if any(r.practice == "app-of-apps" for r in plan.recommendations if r.verified):
        parts.append(f"the roots ({', '.join(v.roots)}) reach every Application")
    if any(r.practice == "appprojects" for r in plan.recommendations if r.verified):
        parts.append("each AppProject allows its Applications' sources, destinations and kinds")
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] + "."


def _verification(plan: Plan) -> list[str]:
    v = plan.verification
    if v is None or not plan.files:
        return []
    if v.ok:
        return [f"**Verified.** {verified_text(plan)}", ""]
    lines = [f"**Not verified.** Applied to a copy of {plan.repo}, the phase 1 files give "
             f"{plural(len(v.problems), 'problem')}:", ""]
    return lines + [f"- {p}" for p in v.problems[:20]] + [""]


def _plan(lines: list[str], c: Comparison, number: int) -> None:
    plan = c.plan
    weaker = c.name(c.weaker)
    lines += [f"## {number}. Recommendations for {weaker}", ""]
    if not plan.recommendations:
        lines += [f"{weaker} has every practice in place; nothing to recommend.", ""]
        return
    lines += [f"{weaker} scores lower, so the steps below are written for it, most valuable "
              "first within each phase. The files are generated from its own Applications "
              "(names, charts, namespaces, repository URL).", ""]
    index = 0
    for phase, title in PHASES.items():
        items = [r for r in plan.recommendations if r.phase == phase]
        if not items:
            continue
        lines += [f"### Phase {phase}: {title}", ""]
        for r in items:
            index += 1
            _recommendation(lines, index, r)
        if phase == 1:
            lines += _verification(plan)


def comparison_markdown(c: Comparison) -> str:
    a, b = c.names
    lines = [f"# Argo CD repositories compared: {a} and {b}", "",
             "Generated by `argoplane compare` from the two repositories alone: every "
             "Application rendered offline, every practice detected from files and manifests. "
             "Run it again after a change to see what moved.", "",
             "## Summary", "", f"| Aspect | {cell(a)} | {cell(b)} | Ahead |",
             "|---|---|---|---|"]
    for row in c.aspects:
        lines.append(f"| **{cell(row.title)}** | {cell(row.a)} | {cell(row.b)} | "
                     f"{_winner(c, row.winner)} |")
    lines += ["", f"**Overall**: {c.overall}", ""]
    number = 0
    for section in c.sections:
        number += 1
        _section(lines, c, number, section)
    _practices(lines, c, number + 1)
    _strengths(lines, c, number + 2)
    _scores(lines, c, number + 3)
    _plan(lines, c, number + 4)
    return "\n".join(lines).rstrip() + "\n"
