"""`-f junit`: JUnit XML for GitLab and Jenkins. One test suite per Application, one test case
per finding; error findings are failures, warnings and info pass with their text as output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from argoplane.checks.formats.text import REPOSITORY, grouped
from argoplane.checks.model import Finding, LintReport


def _case(suite: ET.Element, app: str, finding: Finding) -> None:
    name = f"{finding.rule} {finding.where}".strip()
    case = ET.SubElement(suite, "testcase", {"classname": f"argoplane.lint.{app}", "name": name})
    if finding.file is not None:
        case.set("file", finding.file)
    if finding.line is not None:
        case.set("line", str(finding.line))
    if finding.level == "error":
        failure = ET.SubElement(case, "failure", {"message": finding.message,
                                                  "type": finding.rule})
        failure.text = f"{finding.where}: {finding.message}" if finding.where else finding.message
    else:
        out = ET.SubElement(case, "system-out")
        out.text = f"{finding.level}: {finding.message}"


def junit_report(report: LintReport) -> str:
    root = ET.Element("testsuites", {"name": "argoplane lint"})
    groups = dict(grouped(report))
    names = [REPOSITORY] if REPOSITORY in groups else []
    names += list(report.app_order)
    names += [a for a in groups if a not in names]
    total = failures = 0
    for app in names:
        findings = groups.get(app, [])
        suite = ET.SubElement(root, "testsuite", {"name": app})
        for finding in findings:
            _case(suite, app, finding)
        if not findings:
            ET.SubElement(suite, "testcase", {"classname": f"argoplane.lint.{app}",
                                              "name": "no findings"})
        tests = max(len(findings), 1)
        failed = sum(f.level == "error" for f in findings)
        suite.set("tests", str(tests))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += tests
        failures += failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
