"""`argoplane assess` in a terminal: the scorecard, the evidence, the facts, the next steps."""

from __future__ import annotations

import textwrap

from argoplane.assess.model import Assessment, Facts

EVIDENCE_LINES = 4
_LEVEL = {"full": "full", "partial": "partial", "none": "none", "n/a": "n/a"}


def _points(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def fact_rows(f: Facts) -> list[tuple[str, str]]:
    def listed(items: list[str], limit: int = 8) -> str:
        if not items:
            return "none"
        shown = ", ".join(items[:limit])
        more = f" and {len(items) - limit} more" if len(items) > limit else ""
        return f"{len(items)}: {shown}{more}"

    apps = (f"{f.applications} ({f.applications_rendered} rendered, {f.applications_skipped} "
            f"skipped, {f.applications_failed} failed)")
    return [
        ("Services", listed(f.services)),
        ("Infrastructure", listed(f.infrastructure)),
        ("Environments", listed(f.environments)),
        ("Regions", listed(f.regions)),
        ("Clusters", listed(f.clusters)),
        ("Namespaces", listed(f.namespaces, 5)),
        ("AppProjects", listed(f.projects)),
        ("Root Applications", listed(f.roots, 5)),
        ("Applications", apps),
        ("ApplicationSets", str(f.applicationsets)),
        ("Argo CD manifest files", str(f.argocd_files)),
        ("Helm charts", str(f.charts)),
        ("Kubernetes resources", str(f.resources)),
    ]


def assessment_text(a: Assessment, width: int = 100) -> str:
    out = [f"{a.name}: {a.score:g}/10, {a.grade}", ""]
    title_width = max(len(p.title) for p in a.practices)
    out.append(f"{'Practice'.ljust(title_width)}  {'level':8} {'points':>10}")
    for p in a.practices:
        points = "-" if p.level == "n/a" else f"{_points(p.points)}/{_points(p.weight)}"
        out.append(f"{p.title.ljust(title_width)}  {_LEVEL[p.level]:8} {points:>10}")
        indent = " " * 4
        out += textwrap.wrap(p.summary, width, initial_indent=indent, subsequent_indent=indent)
        for e in p.evidence[:EVIDENCE_LINES]:
            where = f"  [{e.file}]" if e.file else ""
            out.append(f"{indent}- {e.text}{where}")
        if len(p.evidence) > EVIDENCE_LINES:
            out.append(f"{indent}- ... {len(p.evidence) - EVIDENCE_LINES} more (-o json "
                       "lists all)")
        for note in p.notes:
            out += textwrap.wrap(f"note: {note}", width, initial_indent=indent,
                                 subsequent_indent=indent + "  ")
    out += ["", "Facts"]
    rows = fact_rows(a.facts)
    label_width = max(len(label) for label, _ in rows)
    out += [f"  {label.ljust(label_width)}  {value}" for label, value in rows]
    if a.hints:
        out += ["", "Next steps"]
        for h in a.hints:
            out += textwrap.wrap(h.text, width, initial_indent="  - ",
                                 subsequent_indent="    ")
            if h.command:
                out.append(f"    $ {h.command}")
    if a.errors:
        out += ["", "Render errors"] + [f"  {e}" for e in a.errors]
    return "\n".join(out) + "\n"
