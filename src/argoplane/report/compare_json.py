"""`argoplane compare -o json`: the comparison as a stable JSON document."""

from __future__ import annotations

import dataclasses
from typing import Any

from argoplane.assess.compare import Comparison, Side
from argoplane.assess.model import LEVEL_CREDIT
from argoplane.assess.proposal import PHASES
from argoplane.core import jsonio
from argoplane.report.assess_json import assessment_data


def _side(side: Side) -> dict[str, Any]:
    return {
        "marks": [{"level": level, "text": text} for level, text in side.marks],
        "bullets": list(side.bullets),
        "snippets": [dataclasses.asdict(s) for s in side.snippets],
    }


def comparison_data(c: Comparison) -> dict[str, Any]:
    practices = []
    for pa, pb in zip(c.a.practices, c.b.practices, strict=True):
        ca, cb = LEVEL_CREDIT[pa.level], LEVEL_CREDIT[pb.level]
        practices.append({"id": pa.id, "title": pa.title, "a": pa.level, "b": pb.level,
                          "ahead": c.name("a" if ca > cb else ("b" if cb > ca else "tie"))})
    plan = c.plan
    return {
        "names": list(c.names),
        "a": assessment_data(c.a),
        "b": assessment_data(c.b),
        "summary": [{"aspect": r.title, "a": r.a, "b": r.b, "ahead": c.name(r.winner)}
                    for r in c.aspects],
        "overall": c.overall,
        "sections": [{"id": s.id, "title": s.title, "intro": s.intro,
                      "rows": [{"label": label, "a": a, "b": b} for label, a, b in s.rows],
                      "a": _side(s.a), "b": _side(s.b)} for s in c.sections],
        "practices": practices,
        "strengths": {"a": c.strengths[0], "b": c.strengths[1]},
        "weaknesses": {"a": c.weaknesses[0], "b": c.weaknesses[1]},
        "weaker": c.name(c.weaker),
        "recommendations": {
            "repo": plan.repo,
            "items": [{"practice": r.practice, "title": r.title, "phase": r.phase,
                       "phase_title": PHASES[r.phase], "text": r.text, "bullets": r.bullets,
                       "files": [dataclasses.asdict(f) for f in r.files],
                       "snippets": [dataclasses.asdict(s) for s in r.snippets],
                       "command": r.command, "verified": r.verified}
                      for r in plan.recommendations],
            "verification": (dataclasses.asdict(plan.verification)
                             if plan.verification is not None else None),
        },
    }


def comparison_json(c: Comparison) -> str:
    return jsonio.dumps(comparison_data(c))
