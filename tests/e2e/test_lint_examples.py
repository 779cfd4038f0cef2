"""End to end: `argoplane lint` on the example platforms, in every output format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from junitparser import Failure, JUnitXml

from argoplane.checks.registry import RULES
from tests.conftest import EXAMPLES, SHARED, VIGO, Run

BROKEN = EXAMPLES / "broken-platform"
SARIF_SCHEMA = SHARED / "schemas" / "sarif" / "sarif-schema-2.1.0.json"

# every finding on examples/broken-platform (its README explains each one)
BROKEN_FINDINGS = {
    ("AP001", "error", None, "argocd/projects/legacy.yaml", 9),
    ("AP001", "error", "search-staging", "argocd/apps/search-staging.yaml", 19),
    ("AP002", "error", "payments-staging", "argocd/apps/payments-staging.yaml", 5),
    ("AP003", "warning", "bootstrap", "bootstrap.yaml", 8),
    ("AP003", "error", "reports-staging", "argocd/apps/reports-staging.yaml", 8),
    ("AP004", "error", "admin-prod", "argocd/apps/admin-prod.yaml", 9),
    ("AP005", "error", "recommender-prod", "argocd/apps/recommender-prod.yaml", 13),
    ("AP006", "error", "monitoring-prod", "manifests/monitoring/clusterrole.yaml", 2),
    ("AP006", "error", "monitoring-prod", "manifests/monitoring/quota.yaml", 2),
    ("AP007", "error", "checkout-staging", "argocd/apps/checkout-staging.yaml", 20),
    ("AP008", "error", "billing-staging", "argocd/apps/billing-staging.yaml", 20),
    ("AP009", "error", None, "manifests/legacy/db-credentials.yaml", 7),
    ("AP009", "error", None, "charts/storefront/staging/api.secrets.yaml", 2),
    ("AP009", "error", "storefront-staging", "charts/storefront/staging/credentials.yaml", 2),
    ("AP010", "warning", "storefront-prod", "charts/storefront/templates/deployment.yaml", None),
    ("AP011", "warning", "inventory-staging", "argocd/apps/inventory-staging.yaml", 16),
    ("AP011", "warning", "redis-prod", "argocd/apps/redis-prod.yaml", 17),
    ("AP012", "error", "storefront-promo-prod", "manifests/promo/configmap.yaml", 3),
    ("AP013", "warning", "cart-staging", "argocd/apps/cart-staging.yaml", 11),
    ("AP014", "info", "wishlist-staging", "argocd/apps/wishlist-staging.yaml", 7),
    ("AP015", "info", "mailer-staging", "argocd/apps/messaging-appSet.yaml", 20),
    ("AP015", "info", "notifier-staging", "argocd/apps/messaging-appSet.yaml", 20),
    ("AP016", "error", "reviews-staging", "argocd/apps/reviews-staging.yaml", 2),
    ("AP016", "info", "recommender-prod", "argocd/apps/recommender-prod.yaml", 2),
    ("AP017", "error", "legacy-staging", "manifests/legacy/deployment.yaml", 6),
    ("AP017", "error", "legacy-staging", "manifests/legacy/ingress.yaml", 2),
    ("AP017", "info", "monitoring-prod", "manifests/monitoring/servicemonitor.yaml", 2),
    ("AP018", "warning", "storefront-prod", "argocd/apps/storefront-prod.yaml", 14),
}


def _json(cli: Any, repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result: Run = cli("lint", repo, "-f", "json", *args)
    assert result.code in (0, 1), result.err
    return result.code, result.json()


@pytest.fixture(scope="module")
def broken_sarif() -> dict[str, Any]:
    import io
    from contextlib import redirect_stdout

    from argoplane.cli.main import main

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["lint", str(BROKEN), "-f", "sarif"]) == 1
    return json.loads(buffer.getvalue())  # type: ignore[no-any-return]


# -- vigo-platform -------------------------------------------------------------------------
def _plaintext_secret_files() -> list[str]:
    out = []
    for path in sorted(VIGO.rglob("*.secrets.yaml")):
        if "\nsops:" not in "\n" + path.read_text():
            out.append(path.relative_to(VIGO).as_posix())
    return out


def test_vigo_lints_clean_at_error_level(cli: Any) -> None:
    code, data = _json(cli, VIGO)
    errors = [f for f in data["findings"] if f["level"] == "error"]
    plaintext = _plaintext_secret_files()
    # the example's secrets files are SOPS-encrypted: while any is not, AP009 says so
    assert sorted(f["file"] for f in errors) == plaintext
    assert all(f["rule"] == "AP009" for f in errors)
    assert code == (1 if plaintext else 0)
    warnings = sorted((f["rule"], f["app"]) for f in data["findings"] if f["level"] == "warning")
    assert warnings == sorted(
        [("AP003", "central-releases-3rd-svc"), ("AP003", "central-releases-vigo")]
        + [("AP018", f"{svc}-{venture}-production") for svc in ("catalog", "checkout", "gateway")
           for venture in ("in", "vn")])
    infos = {(f["rule"], f["app"]) for f in data["findings"] if f["level"] == "info"}
    assert ("AP016", "postgres") in infos  # remote charts: not rendered offline
    # AP025: the example's demo-only age key, acknowledged in the file itself
    assert {r for r, _ in infos} <= {"AP014", "AP016", "AP025"}


def test_vigo_text_output_groups_by_application(cli: Any) -> None:
    result = cli("lint", VIGO, "--severity", "warning")
    lines = result.out.splitlines()
    header = lines.index("catalog-in-production")
    assert lines[header + 1].startswith(
        "  applications/vigo/catalog/catalog-appSet.yaml:40  warning  AP018  Application "
        "catalog-in-production (production) follows HEAD")
    assert "info" not in result.out.replace("0 info", "")
    assert lines[-1].startswith("0 errors, 8 warnings, 0 info in 17 Applications (")
    assert lines[-1].endswith("below --severity not shown)")


# -- broken-platform -----------------------------------------------------------------------
def test_broken_platform_every_rule_fires_exactly_where_expected(cli: Any) -> None:
    code, data = _json(cli, BROKEN)
    assert code == 1
    found = [(f["rule"], f["level"], f["app"], f["file"], f["line"]) for f in data["findings"]]
    assert len(found) == len(set(found))
    assert set(found) == BROKEN_FINDINGS
    assert {f[0] for f in found} == {r for r in RULES if r <= "AP018"}  # AP02x: secrets tests
    assert data["summary"] == {"errors": 17, "warnings": 6, "info": 5, "applications": 22,
                               "hidden": 0}


def test_broken_platform_severity_filters_but_errors_still_fail(cli: Any) -> None:
    code, data = _json(cli, BROKEN, "--severity", "error")
    assert code == 1
    assert {f["level"] for f in data["findings"]} == {"error"}
    assert data["summary"]["hidden"] == sum(f[1] != "error" for f in BROKEN_FINDINGS)


def test_sarif_validates_against_the_sarif_schema(broken_sarif: dict[str, Any]) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.validate(broken_sarif, schema)


def test_sarif_carries_rules_and_line_locations(broken_sarif: dict[str, Any]) -> None:
    (run,) = broken_sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    assert all(r["fullDescription"]["text"] and r["help"]["text"] for r in rules)
    assert rules[9]["defaultConfiguration"] == {"level": "warning"}  # AP010
    results = run["results"]
    assert len(results) == len(BROKEN_FINDINGS)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by_rule = {r["ruleId"]: r for r in results}
    location = by_rule["AP004"]["locations"][0]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "argocd/apps/admin-prod.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 9}}
    assert location["logicalLocations"][0]["name"] == "admin-prod"
    assert {r["level"] for r in results} == {"error", "warning", "note"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == BROKEN.resolve().as_uri() + "/"


def test_junit_parses_and_fails_on_errors_only(cli: Any, tmp_path: Path) -> None:
    result = cli("lint", BROKEN, "-f", "junit")
    assert result.code == 1
    report = tmp_path / "lint.xml"
    report.write_text(result.out)
    xml = JUnitXml.fromfile(str(report))
    suites = {suite.name: suite for suite in xml}
    assert {"admin-prod", "catalog-prod", "(repository)"} <= set(suites)
    failures = [case for suite in xml for case in suite
                if any(isinstance(r, Failure) for r in case.result)]
    assert len(failures) == sum(f[1] == "error" for f in BROKEN_FINDINGS)
    (admin,) = list(suites["admin-prod"])
    assert admin.name == "AP004 argocd/apps/admin-prod.yaml:9"
    assert "not permitted in project 'shop-prod'" in admin.result[0].message
    (clean,) = list(suites["catalog-prod"])
    assert clean.name == "no findings"
    assert clean.is_passed


# -- rules on the command line ------------------------------------------------------------
def test_explain_and_list_rules(cli: Any) -> None:
    result = cli("lint", "--explain", "ap004")
    assert result.code == 0
    assert result.out.startswith("AP004 destination-not-permitted: Destination not permitted")
    assert "Fix:" in result.out
    listed = cli("lint", "--list-rules")
    assert [line.split()[0] for line in listed.out.splitlines()] == sorted(RULES)
    unknown = cli("lint", "--explain", "AP999")
    assert unknown.code == 2
    assert "--explain AP999: no such rule" in unknown.err
