"""End to end: `argoplane compare` on the two examples, and the committed example report."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from argoplane.cli.main import main
from tests.conftest import PROJECT, VIGO, Run
from tests.unit.test_assess_practices import MICRO

EXAMPLE_REPORT = PROJECT / "docs" / "example-compare.md"


def run(*args: str) -> str:
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(list(args)) == 0
    return buffer.getvalue()


@pytest.fixture(scope="module")
def markdown() -> str:
    return run("compare", str(VIGO), str(MICRO), "-o", "markdown")


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return json.loads(run("compare", str(VIGO), str(MICRO), "-o", "json",  # type: ignore[no-any-return]
                          "--names", "VIGO,Current"))


def test_the_committed_example_report_is_up_to_date(markdown: str) -> None:
    assert EXAMPLE_REPORT.is_file(), "docs/example-compare.md is missing: run `make docs`"
    assert EXAMPLE_REPORT.read_text(encoding="utf-8") == markdown, (
        "docs/example-compare.md is stale: run `make docs` (argoplane compare "
        "examples/vigo-platform examples/microservices -o markdown) and review the change")


def test_report_follows_the_reference_structure(markdown: str) -> None:
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Summary", "## 1. Directory structure", "## 2. Configuration management",
        "## 3. Environments and regions", "## 4. Secrets", "## 5. App-of-Apps",
        "## 6. Sync policies", "## 7. Scale", "## 8. Best practices",
        "## 9. Strengths and weaknesses", "## 10. Scores",
        "## 11. Recommendations for microservices"]
    assert "| **Architecture** | ApplicationSets + App-of-Apps | one Application per service, " \
           "applied by hand | 🏆 vigo-platform |" in markdown
    assert "| **Documentation** |" in markdown
    assert "| 🏆 microservices |" in markdown
    assert "| **Score** | **10** | **9.3** | **5.9** |" in markdown
    assert "**Verified.**" in markdown
    assert str(PROJECT) not in markdown  # no absolute paths in the report


def test_executive_summary_and_names(data: dict[str, Any]) -> None:
    assert data["names"] == ["VIGO", "Current"]
    assert data["weaker"] == "Current"
    summary = {row["aspect"]: row for row in data["summary"]}
    assert list(summary) == ["Architecture", "Environments", "Regions", "Scale",
                             "Configuration", "Secrets", "Sync", "Access control",
                             "Documentation", "Maturity"]
    assert summary["Secrets"]["a"] == "SOPS-encrypted in Git"
    assert summary["Secrets"]["b"] == "created by hand"
    assert summary["Documentation"]["ahead"] == "Current"
    assert all(summary[k]["ahead"] == "VIGO" for k in ("Architecture", "Environments",
                                                       "Sync", "Maturity"))
    assert data["a"]["score"] > data["b"]["score"]


def test_recommendations_are_verified(data: dict[str, Any]) -> None:
    recs = data["recommendations"]
    assert recs["repo"] == "Current"
    assert recs["verification"] == {
        "ok": True, "applications": 20, "identical": 20, "resources": 58, "generated": 16,
        "roots": ["root-infrastructure", "root-services"], "problems": []}
    first = recs["items"][0]
    assert set(first) == {"practice", "title", "phase", "phase_title", "text", "bullets",
                          "files", "snippets", "command", "verified"}
    assert first["practice"] == "applicationsets"
    assert first["verified"]


def test_the_proposed_files_render_with_argoplane(cli: Any, data: dict[str, Any],
                                                  tmp_path: Path) -> None:
    copy = tmp_path / "microservices"
    shutil.copytree(MICRO, copy)
    files = [f for item in data["recommendations"]["items"] if item["verified"]
             for f in item["files"]]
    for f in files:
        path = copy / f["path"]
        if f["action"] == "create":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f["content"], encoding="utf-8")
        elif f["action"] == "delete":
            path.unlink()
        else:
            path.write_text(path.read_text().replace("project: default",
                                                     "project: infrastructure"))
    result: Run = cli("render", copy)
    assert result.code == 0, result.err
    assert result.out.strip().splitlines()[-1] == (
        "2 roots, 1 ApplicationSets, 22 Applications (22 rendered, 0 skipped, 0 failed), "
        "63 resources, 3 AppProjects")  # the 20 as before, plus the two roots
    after = cli("assess", copy, "-o", "json").json()
    assert after["score"] >= 7.5
    levels = {p["id"]: p["level"] for p in after["practices"]}
    assert levels["applicationsets"] == levels["app-of-apps"] == "full"
    assert levels["appprojects"] == levels["auto-sync"] == "full"


def test_html_report_is_self_contained(cli: Any) -> None:
    result: Run = cli("compare", VIGO, MICRO, "-o", "html", "--names", "VIGO,Current")
    assert result.code == 0
    html = result.out
    assert html.startswith("<!DOCTYPE html>")
    assert html.rstrip().endswith("</html>")
    assert html.count("<svg") == 3  # two score gauges and the practice chart
    assert " src=" not in html
    assert " href=" not in html
    assert "<script" not in html
    assert "<link" not in html
    assert "@import" not in html
    assert "url(" not in html


def test_bad_names(cli: Any) -> None:
    result: Run = cli("compare", VIGO, MICRO, "--names", "only-one")
    assert result.code == 2
    assert "--names" in result.err
    assert cli("compare", VIGO, "/nonexistent/x").code == 2
