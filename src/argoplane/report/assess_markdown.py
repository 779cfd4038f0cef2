"""`argoplane assess -o markdown`: the scorecard as a Markdown document."""

from __future__ import annotations

from argoplane.assess.model import Assessment, Level
from argoplane.assess.scorecard import WEIGHTS
from argoplane.report.assess_text import fact_rows

MARK: dict[Level, str] = {"full": "✅ full", "partial": "⚠️ partial", "none": "❌ none",
                          "n/a": "➖ n/a"}
ICON: dict[Level, str] = {"full": "✅", "partial": "⚠️", "none": "❌", "n/a": "➖"}
EVIDENCE_ITEMS = 10


def cell(text: str) -> str:
    """Text that is safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def fence(code: str, language: str = "") -> str:
    ticks = "````" if "```" in code else "```"
    return f"{ticks}{language}\n{code.rstrip()}\n{ticks}"


def points(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def assessment_markdown(a: Assessment) -> str:
    lines = [f"# {a.name}: {a.score:g}/10 ({a.grade})", "",
             "Assessed by `argoplane assess` from the repository alone: every Application "
             "rendered offline, each practice detected from the files and manifests listed "
             "as evidence.", "",
             "| Practice | Level | Points | Found |", "|---|---|---|---|"]
    for p in a.practices:
        score = "-" if p.level == "n/a" else f"{points(p.points)} / {points(p.weight)}"
        lines.append(f"| {cell(p.title)} | {MARK[p.level]} | {score} | {cell(p.summary)} |")
    lines.append(f"| **Score** | | **{a.score:g} / 10** | {cell(a.grade)} |")
    lines += ["", "## Evidence", ""]
    for p in a.practices:
        lines.append(f"### {p.title}")
        lines.append("")
        lines.append(f"{MARK[p.level]}: {p.summary}")
        lines.append("")
        for e in p.evidence[:EVIDENCE_ITEMS]:
            lines.append(f"- {e.text}" + (f" (`{e.file}`)" if e.file else ""))
        if len(p.evidence) > EVIDENCE_ITEMS:
            lines.append(f"- and {len(p.evidence) - EVIDENCE_ITEMS} more")
        for note in p.notes:
            lines.append(f"- *Note:* {note}")
        lines.append("")
    lines += ["## Facts", "", "| | |", "|---|---|"]
    lines += [f"| {label} | {cell(value)} |" for label, value in fact_rows(a.facts)]
    if a.hints:
        lines += ["", "## Next steps", ""]
        for h in a.hints:
            lines.append(f"1. {h.text}" + (f" (`{h.command}`)" if h.command else ""))
    if a.errors:
        lines += ["", "## Render errors", ""] + [f"- {cell(e)}" for e in a.errors]
    lines += ["", f"*Weights: {', '.join(f'{k} {points(v)}' for k, v in WEIGHTS.items())} "
              "(see docs/assess.md).*"]
    return "\n".join(lines) + "\n"
