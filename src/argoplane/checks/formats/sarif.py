"""`-f sarif`: SARIF 2.1.0, as GitHub code scanning reads it (rules, results, line regions)."""

from __future__ import annotations

import json
from typing import Any

from argoplane import __version__
from argoplane.checks.model import Finding, Level, LintReport, Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS: dict[Level, str] = {"error": "error", "warning": "warning", "info": "note"}


def _rule(rule: Rule) -> dict[str, Any]:
    explanation = rule.explanation.strip()
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.name.split("-")),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": explanation},
        "help": {"text": explanation, "markdown": f"**{rule.id} {rule.title}**\n\n{explanation}"},
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.level]},
        "properties": {"tags": ["argo-cd", "gitops"]},
    }


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": SARIF_LEVELS[finding.level],
        "message": {"text": finding.message},
    }
    if finding.file is not None:
        physical: dict[str, Any] = {
            "artifactLocation": {"uri": finding.file, "uriBaseId": "%SRCROOT%"}}
        if finding.line is not None:
            physical["region"] = {"startLine": finding.line}
        location: dict[str, Any] = {"physicalLocation": physical}
        if finding.app is not None:
            location["logicalLocations"] = [{
                "name": finding.app, "kind": "resource",
                "fullyQualifiedName": f"argoproj.io/Application/{finding.app}"}]
        result["locations"] = [location]
    return result


def sarif_report(report: LintReport, root_uri: str | None = None) -> str:
    """`root_uri` (file:///.../) tells readers where %SRCROOT% is."""
    index = {rule.id: i for i, rule in enumerate(report.rules)}
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "argoplane",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_rule(r) for r in report.rules],
        }},
        "results": [_result(f, index) for f in report.findings],
        "columnKind": "unicodeCodePoints",
    }
    if root_uri is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": root_uri}}
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"
