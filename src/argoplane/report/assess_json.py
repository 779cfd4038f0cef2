"""`argoplane assess -o json`: the assessment as a stable JSON document."""

from __future__ import annotations

import dataclasses
from typing import Any

from argoplane.assess.model import Assessment
from argoplane.core import jsonio


def assessment_data(a: Assessment) -> dict[str, Any]:
    return {
        "name": a.name,
        "repo": a.repo,
        "score": a.score,
        "max_score": 10,
        "grade": a.grade,
        "practices": [
            {
                "id": p.id,
                "title": p.title,
                "level": p.level,
                "weight": p.weight,
                "points": p.points,
                "summary": p.summary,
                "evidence": [{"text": e.text, "file": e.file} for e in p.evidence],
                "notes": list(p.notes),
            }
            for p in a.practices
        ],
        "facts": dataclasses.asdict(a.facts),
        "next_steps": [{"practice": h.practice, "text": h.text, "command": h.command}
                       for h in a.hints],
        "errors": list(a.errors),
    }


def assessment_json(a: Assessment) -> str:
    return jsonio.dumps(assessment_data(a))
