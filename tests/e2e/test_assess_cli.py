"""End to end: `argoplane assess` on the examples and on small repositories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import VIGO, Run
from tests.unit.test_assess_practices import CONFIG, MICRO, application, chart

PRACTICE_KEYS = {"id", "title", "level", "weight", "points", "summary", "evidence", "notes"}


@pytest.fixture(scope="module")
def vigo_json() -> dict[str, Any]:
    import io
    from contextlib import redirect_stdout

    from argoplane.cli.main import main

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["assess", str(VIGO), "-o", "json"]) == 0
    return json.loads(buffer.getvalue())  # type: ignore[no-any-return]


def test_json_contract(vigo_json: dict[str, Any]) -> None:
    assert set(vigo_json) == {"name", "repo", "score", "max_score", "grade", "practices",
                              "facts", "next_steps", "errors"}
    assert vigo_json["name"] == "vigo-platform"
    assert vigo_json["max_score"] == 10
    ids = [p["id"] for p in vigo_json["practices"]]
    assert ids == ["renders", "helm-charts", "documentation", "environments",
                   "secrets-in-git", "auto-sync", "image-tags", "applicationsets",
                   "app-of-apps", "appprojects", "namespace-per-service", "multi-region",
                   "revision-history"]
    for p in vigo_json["practices"]:
        assert set(p) == PRACTICE_KEYS
        assert p["level"] in ("full", "partial", "none", "n/a")
        for e in p["evidence"]:
            assert set(e) == {"text", "file"}
    assert sum(p["weight"] for p in vigo_json["practices"]) == 10
    assert set(vigo_json["facts"]) >= {"services", "environments", "regions", "clusters",
                                       "applications", "applicationsets", "projects", "roots"}
    assert vigo_json["facts"]["applications"] == 17
    for step in vigo_json["next_steps"]:
        assert set(step) == {"practice", "text", "command"}


def test_secret_values_never_appear(vigo_json: dict[str, Any]) -> None:
    text = json.dumps(vigo_json)
    assert "demo-only" not in text
    assert "ENC[" not in text


def test_text_scorecard(cli: Any) -> None:
    result: Run = cli("assess", MICRO)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "microservices: 5.9/10, development"
    assert any(line.startswith("ApplicationSets") and "none" in line for line in lines)
    assert "    no ApplicationSet: 16 services, each an Application of its own" in lines
    assert "  Services                16: auth-service, catalog-service" in result.out
    assert "Next steps" in lines
    assert result.err == ""


def test_markdown_scorecard(cli: Any) -> None:
    result: Run = cli("assess", VIGO, "-o", "markdown")
    assert result.code == 0
    assert result.out.startswith("# vigo-platform: 9.3/10 (production-ready)\n")
    assert "| ApplicationSets | ✅ full | 0.5 / 0.5 |" in result.out
    assert "- ApplicationSet catalog -> 4 Applications " \
           "(`applications/vigo/catalog/catalog-appSet.yaml`)" in result.out
    assert "| Regions | 2: in, vn |" in result.out


def test_html_scorecard_is_one_self_contained_page(cli: Any) -> None:
    result: Run = cli("assess", MICRO, "-o", "html")
    assert result.code == 0
    html = result.out
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html
    assert "<style>" in html
    assert " src=" not in html
    assert " href=" not in html
    assert "<script" not in html
    assert "default-src 'none'" in html


def test_name_and_fail_under(cli: Any) -> None:
    result: Run = cli("assess", MICRO, "--name", "Current", "--fail-under", "8")
    assert result.code == 1
    assert result.out.startswith("Current: 5.9/10")
    assert "score 5.9 is below --fail-under 8" in result.err
    assert cli("assess", MICRO, "--fail-under", "5").code == 0


def test_render_errors_lower_the_score_and_are_reported(cli: Any, repo: Any) -> None:
    root = repo({".argoplane.yaml": CONFIG, **chart("web"),
                 "apps/web.yaml": application("web", "services/web", "web",
                                              value_files=("nope.yaml",))})
    result: Run = cli("assess", root, "-o", "json")
    assert result.code == 0
    data = json.loads(result.out)
    renders = next(p for p in data["practices"] if p["id"] == "renders")
    assert renders["level"] == "none"
    assert data["errors"]
    assert "nope.yaml" in data["errors"][0]
    assert "render errors lower the score" in result.err


def test_bad_input(cli: Any, tmp_path: Path) -> None:
    missing = cli("assess", tmp_path / "nope")
    assert missing.code == 2
    assert "nope: no such directory" in missing.err
    (tmp_path / "empty").mkdir()
    empty = cli("assess", tmp_path / "empty")
    assert empty.code == 2
    assert "no Argo CD Application or ApplicationSet found" in empty.err
    assert "Traceback" not in empty.err
    bad = cli("assess", MICRO, "--fail-under", "11")
    assert bad.code == 2
