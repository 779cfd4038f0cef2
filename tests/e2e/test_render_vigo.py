"""End to end: `argoplane render` on the example platform in the reference layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import VIGO, Run

SERVICES = ("catalog", "checkout", "gateway")
COMBINATIONS = [(e, v) for e in ("staging", "production") for v in ("vn", "in")]


@pytest.fixture(scope="module")
def rendered() -> dict[str, Any]:
    import io
    import json
    from contextlib import redirect_stdout

    from argoplane.cli.main import main

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = main(["render", str(VIGO), "-o", "json"])
    assert code == 0
    return json.loads(buffer.getvalue())  # type: ignore[no-any-return]


def app(data: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [a for a in data["applications"] if a["name"] == name]
    return found


def resource(a: dict[str, Any], kind: str) -> dict[str, Any]:
    (found,) = [r for r in a["resources"] if r["kind"] == kind]
    return found["manifest"]  # type: ignore[no-any-return]


def test_tree_shows_roots_appsets_apps_and_projects(cli: Any) -> None:
    result: Run = cli("render", VIGO)
    assert result.code == 0, result.err
    out = result.out
    assert "Application central-releases-vigo" in out
    assert "Application central-releases-3rd-svc" in out
    for svc in SERVICES:
        assert f"ApplicationSet {svc}  → 4 Applications" in out
        for env, venture in COMBINATIONS:
            assert f"Application {svc}-{venture}-{env}" in out
    for third in ("postgres", "ingress-nginx", "sealed-secrets"):
        line = next(line for line in out.splitlines() if f"Application {third} " in line)
        assert line.rstrip().endswith("skipped")
    assert "not in the offline chart cache" in out
    assert "AppProjects" in out
    assert "argocd-projects/in-prod.yaml" in out
    assert out.strip().splitlines()[-1] == (
        "2 roots, 3 ApplicationSets, 17 Applications (14 rendered, 3 skipped, 0 failed), "
        "60 resources, 3 AppProjects"
    )


def test_json_contract(rendered: dict[str, Any]) -> None:
    assert set(rendered) >= {"applications", "summary"}
    # the 12 secrets:// files are SOPS-encrypted and decrypted with the example's demo key
    assert rendered["summary"] == {"applications": 17, "resources": 60, "errors": 0,
                                   "warnings": 0}
    for a in rendered["applications"]:
        assert set(a) >= {"name", "project", "parent", "generated_by", "source", "sources",
                          "destination", "sync_policy", "status", "resources", "messages"}
        assert a["status"] in ("rendered", "error", "skipped")
        for r in a["resources"]:
            assert set(r) == {"apiVersion", "kind", "namespace", "name", "manifest"}
        for m in a["messages"]:
            assert m["level"] in ("error", "warning", "info")
            assert m["text"]
    assert rendered["roots"] == ["central-releases-3rd-svc", "central-releases-vigo"]


def test_generated_apps_know_their_parent_and_appset(rendered: dict[str, Any]) -> None:
    a = app(rendered, "catalog-vn-production")
    assert a["parent"] == "central-releases-vigo"
    assert a["generated_by"] == "catalog"
    assert a["project"] == "vn-prod"
    assert a["destination"] == {"name": "vn-prod", "namespace": "catalog-vn-prod"}
    assert a["sync_policy"]["automated"] == {"prune": True}
    assert "CreateNamespace=true" in a["sync_policy"]["syncOptions"]
    assert a["source"]["helm"]["valueFiles"] == [
        "production/tag.yaml", "production/vn.values.yaml", "secrets://production/vn.secrets.yaml"
    ]
    root = app(rendered, "central-releases-vigo")
    assert root["parent"] is None
    assert root["generated_by"] is None
    assert [r["kind"] for r in root["resources"]] == ["ApplicationSet"] * 3
    third = app(rendered, "postgres")
    assert third["parent"] == "central-releases-3rd-svc"
    assert third["status"] == "skipped"
    assert third["sync_policy"].get("automated") is None


@pytest.mark.parametrize(("name", "replicas", "tag", "host"), [
    ("catalog-in-staging", 1, "1.9.0-rc.2", "https://catalog.in.staging.vigo.example"),
    ("catalog-vn-staging", 2, "1.9.0-rc.2", "https://catalog.vn.staging.vigo.example"),
    ("catalog-in-production", 4, "1.8.2", "https://catalog.in.vigo.example"),
    ("catalog-vn-production", 3, "1.8.2", "https://catalog.vn.vigo.example"),
    ("checkout-in-production", 6, "2.3.5", "https://checkout.in.vigo.example"),
    ("checkout-vn-staging", 1, "2.4.0-rc.1", "https://checkout.vn.staging.vigo.example"),
])
def test_values_come_from_the_right_env_and_region(
    rendered: dict[str, Any], name: str, replicas: int, tag: str, host: str
) -> None:
    a = app(rendered, name)
    deployment = resource(a, "Deployment")
    assert deployment["spec"]["replicas"] == replicas
    image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image.endswith(f":{tag}")
    assert resource(a, "ConfigMap")["data"]["PUBLIC_BASE_URL"] == host
    namespace = a["destination"]["namespace"]
    assert {r["namespace"] for r in a["resources"]} == {namespace}


def test_gateway_production_scales_with_an_hpa(rendered: dict[str, Any]) -> None:
    a = app(rendered, "gateway-in-production")
    hpa = resource(a, "HorizontalPodAutoscaler")
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (4, 12)
    assert "replicas" not in resource(a, "Deployment")["spec"]
    ingress = resource(a, "Ingress")
    assert ingress["spec"]["rules"][0]["host"] == "gateway.in.vigo.example"
    staging = resource(app(rendered, "gateway-vn-staging"), "Ingress")
    assert staging["spec"]["rules"][0]["host"] == "gateway.vn.staging.vigo.example"


def test_tracking_annotation_as_argo_cd_3_sets_it(rendered: dict[str, Any]) -> None:
    a = app(rendered, "checkout-in-staging")
    svc = resource(a, "Service")
    assert svc["metadata"]["annotations"]["argocd.argoproj.io/tracking-id"] == (
        "checkout-in-staging:/Service:checkout-in-stag/checkout-in-staging"
    )
    deploy = resource(a, "Deployment")
    assert deploy["metadata"]["annotations"]["argocd.argoproj.io/tracking-id"] == (
        "checkout-in-staging:apps/Deployment:checkout-in-stag/checkout-in-staging"
    )


def test_secrets_are_decrypted_in_memory_and_masked(rendered: dict[str, Any]) -> None:
    a = app(rendered, "catalog-in-production")
    secret = resource(a, "Secret")
    assert set(secret["stringData"]) == {"DATABASE_PASSWORD", "SEARCH_API_KEY"}
    assert set(secret["stringData"].values()) == {"++++++++"}
    assert not [m for m in a["messages"] if m["level"] != "info"]
    (note,) = rendered["messages"]
    assert note["level"] == "info"
    assert note["text"].startswith("12 secrets:// value files decrypted in memory with "
                                   "demo-only-age-keys.txt (secrets.ageKeyFile)")


def test_show_secrets_prints_values(cli: Any) -> None:
    result = cli("render", VIGO, "-o", "json", "--show-secrets", "--app", "catalog-in-production")
    assert result.code == 0
    (a,) = result.json()["applications"]
    secret = resource(a, "Secret")
    assert secret["stringData"] == {
        "DATABASE_PASSWORD": "demo-only-not-a-secret-catalog-in-production",
        "SEARCH_API_KEY": "demo-only-search-key-in-production",
    }


def test_yaml_stream_names_each_source(cli: Any) -> None:
    result = cli("render", VIGO, "-o", "yaml", "--app", "gateway-vn-staging")
    assert result.code == 0
    docs = result.out.split("---\n")[1:]
    assert len(docs) == 5
    assert docs[0].startswith(
        "# Source: gateway-vn-staging/applications/vigo/gateway/templates/")
    assert "JWT_SIGNING_KEY: ++++++++" in result.out
    assert "demo-only" not in result.out


def test_out_dir_writes_one_file_per_resource(cli: Any, tmp_path: Path) -> None:
    result = cli("render", VIGO, "-o", "json", "--out-dir", tmp_path / "out", "--app", "catalog-*")
    assert result.code == 0
    folders = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert folders == ["catalog-in-production", "catalog-in-staging", "catalog-vn-production",
                       "catalog-vn-staging"]
    files = sorted(p.name for p in (tmp_path / "out/catalog-in-staging").iterdir())
    assert files == ["configmap_catalog-in-stag_catalog-in-staging.yaml",
                     "deployment_catalog-in-stag_catalog-in-staging.yaml",
                     "secret_catalog-in-stag_catalog-in-staging.yaml",
                     "service_catalog-in-stag_catalog-in-staging.yaml"]


def test_app_glob_without_match_is_an_error(cli: Any) -> None:
    result = cli("render", VIGO, "--app", "nope-*")
    assert result.code == 2
    assert "no Application matches" in result.err


def test_root_option_limits_the_walk(cli: Any) -> None:
    result = cli("render", VIGO, "--root", VIGO / "central-releases-3rd-svc.yaml", "-o", "json")
    assert result.code == 0
    names = [a["name"] for a in result.json()["applications"]]
    assert names == ["central-releases-3rd-svc", "ingress-nginx", "postgres", "sealed-secrets"]


def test_root_folder_of_appsets(cli: Any) -> None:
    result = cli("render", VIGO, "--root", VIGO / "applications/vigo/gateway", "-o", "json")
    assert result.code == 0
    data = result.json()
    assert data["roots"] == ["gateway"]
    assert {a["generated_by"] for a in data["applications"]} == {"gateway"}
    assert all(a["parent"] is None for a in data["applications"])
