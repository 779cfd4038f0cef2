"""`-f json`: the DESIGN.md contract, `{"findings": [...], "summary": {...}}`."""

from __future__ import annotations

import json

from argoplane.checks.model import LintReport


def json_report(report: LintReport) -> str:
    data = {
        "findings": [f.as_json() for f in report.findings],
        "summary": report.summary(),
    }
    return json.dumps(data, indent=2) + "\n"
