"""`-f text`: findings grouped by Application, each with file:line, level and rule."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from argoplane.checks.model import Finding, LintReport, Rule

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
REPOSITORY = "(repository)"


def grouped(report: LintReport) -> list[tuple[str, list[Finding]]]:
    """Findings per Application in walk order; those about no Application come first."""
    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.app or REPOSITORY, []).append(finding)
    order = [REPOSITORY, *report.app_order]
    return sorted(groups.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order
                  else len(order))


def summary_text(report: LintReport) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    text = (f"{plural(report.count('error'), 'error')}, "
            f"{plural(report.count('warning'), 'warning')}, {report.count('info')} info "
            f"in {plural(report.applications, 'Application')}")
    if report.hidden:
        text += f" ({report.hidden} below --severity not shown)"
    return text


def text_report(report: LintReport) -> RenderableType:
    lines: list[RenderableType] = []
    for app, findings in grouped(report):
        lines.append(Text(app, style="bold"))
        for f in findings:
            line = Text("  ")
            if f.where:
                line.append(f.where, style="dim")
                line.append("  ")
            line.append(f"{f.level:<7}", style=STYLES[f.level])
            line.append(f"  {f.rule}  ", style="bold")
            line.append(f.message)
            lines.append(line)
        lines.append(Text(""))
    lines.append(Text(summary_text(report), style="bold red" if report.count("error") else
                      "bold"))
    return Group(*lines)


def explain_text(rule: Rule) -> str:
    return (f"{rule.id} {rule.name}: {rule.title} (default level: {rule.level})\n\n"
            f"{rule.explanation.strip()}\n")


def rules_text(rules: list[Rule]) -> str:
    width = max(len(r.name) for r in rules)
    return "".join(f"{r.id}  {r.level:<7}  {r.name:<{width}}  {r.title}\n" for r in rules)
