"""End to end: `argoplane render` and `argoplane appset generate` on examples/appset-gallery,
one ApplicationSet per generator kind (git directories, git files, matrix, merge, Go
templates)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from typing import Any

import pytest

from tests.conftest import EXAMPLES, Run

GALLERY = EXAMPLES / "appset-gallery"
APPSETS = GALLERY / "appsets"
SERVERS = {
    "dev-eu": "https://dev-eu.k8s.gallery.example",
    "staging-eu": "https://staging-eu.k8s.gallery.example",
    "prod-us": "https://prod-us.k8s.gallery.example",
}
IN_CLUSTER = "https://kubernetes.default.svc"


@pytest.fixture(scope="module")
def rendered() -> dict[str, Any]:
    from argoplane.cli.main import main

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = main(["render", str(GALLERY), "-o", "json"])
    assert code == 0
    return json.loads(buffer.getvalue())  # type: ignore[no-any-return]


def apps_of(data: dict[str, Any], appset: str) -> dict[str, dict[str, Any]]:
    return {a["name"]: a for a in data["applications"] if a["generated_by"] == appset}


def kinds_and_names(app: dict[str, Any]) -> set[tuple[str, str]]:
    return {(r["kind"], r["name"]) for r in app["resources"]}


# the resources of each apps/<name> folder
ECHO = {("Deployment", "echo-server"), ("Service", "echo-server")}
QUOTE = {("Deployment", "quote-api"), ("Service", "quote-api"),
         ("ConfigMap", "quote-api-settings")}
STATUS = {("Deployment", "status-page"), ("ConfigMap", "status-page-checks")}


def test_everything_renders(rendered: dict[str, Any]) -> None:
    assert rendered["roots"] == ["gallery-root"]
    assert rendered["summary"]["applications"] == 17
    assert rendered["summary"]["errors"] == 0
    assert all(a["status"] == "rendered" for a in rendered["applications"])
    assert sorted(s["name"] for s in rendered["applicationsets"]) == [
        "apps-in-cluster", "apps-per-cluster", "echo-canary", "quote-api", "status-pages"]


def test_tree_output_and_exit_code(cli: Any) -> None:
    result: Run = cli("render", GALLERY)
    assert result.code == 0, result.err
    assert "ApplicationSet apps-per-cluster  → 4 Applications" in result.out
    assert result.out.strip().splitlines()[-1].startswith(
        "1 root, 5 ApplicationSets, 17 Applications (17 rendered, 0 skipped, 0 failed)")


def test_git_directories_one_app_per_folder(rendered: dict[str, Any]) -> None:
    apps = apps_of(rendered, "apps-in-cluster")
    assert sorted(apps) == ["echo-server", "quote-api", "status-page"]
    for name, app in apps.items():
        assert app["destination"] == {"server": IN_CLUSTER, "namespace": name}
        assert app["source"]["path"] == f"apps/{name}"
        assert app["parent"] == "gallery-root"
    assert kinds_and_names(apps["echo-server"]) == ECHO
    assert kinds_and_names(apps["quote-api"]) == QUOTE
    assert kinds_and_names(apps["status-page"]) == STATUS
    assert {r["namespace"] for r in apps["quote-api"]["resources"]} == {"quote-api"}


def test_git_files_one_status_page_per_cluster_config(rendered: dict[str, Any]) -> None:
    apps = apps_of(rendered, "status-pages")
    assert sorted(apps) == ["status-page-dev-eu", "status-page-prod-us",
                            "status-page-staging-eu"]
    for cluster, server in SERVERS.items():
        app = apps[f"status-page-{cluster}"]
        assert app["destination"] == {"server": server, "namespace": "status-page"}
        assert kinds_and_names(app) == STATUS


def test_matrix_apps_times_non_dev_clusters(rendered: dict[str, Any]) -> None:
    apps = apps_of(rendered, "apps-per-cluster")
    assert sorted(apps) == ["prod-us-echo-server", "prod-us-quote-api",
                            "staging-eu-echo-server", "staging-eu-quote-api"]
    for cluster in ("staging-eu", "prod-us"):
        for folder in ("echo-server", "quote-api"):
            app = apps[f"{cluster}-{folder}"]
            assert app["destination"] == {"name": cluster, "namespace": folder}
            assert app["source"]["path"] == f"apps/{folder}"
            assert kinds_and_names(app) == (ECHO if folder == "echo-server" else QUOTE)


def test_merge_overrides_prod_and_drops_unmatched_elements(rendered: dict[str, Any]) -> None:
    apps = apps_of(rendered, "echo-canary")
    assert sorted(apps) == ["echo-dev-eu", "echo-prod-us", "echo-staging-eu"]  # no qa-ap
    assert apps["echo-dev-eu"]["destination"] == {"server": SERVERS["dev-eu"],
                                                  "namespace": "echo-dev"}
    assert apps["echo-dev-eu"]["source"]["targetRevision"] == "main"
    assert apps["echo-prod-us"]["destination"] == {"server": SERVERS["prod-us"],
                                                   "namespace": "echo-prod-pinned"}
    assert apps["echo-prod-us"]["source"]["targetRevision"] == "v2.4.1"
    for app in apps.values():
        assert kinds_and_names(app) == ECHO
        assert {r["namespace"] for r in app["resources"]} == {app["destination"]["namespace"]}


def test_go_template_apps(rendered: dict[str, Any]) -> None:
    apps = apps_of(rendered, "quote-api")
    assert sorted(apps) == ["quote-api-dev-eu", "quote-api-prod-us", "quote-api-staging-eu"]
    for cluster, server in SERVERS.items():
        app = apps[f"quote-api-{cluster}"]
        assert app["destination"] == {"server": server, "namespace": f"quote-api-{cluster}"}
        assert kinds_and_names(app) == QUOTE


def test_go_template_labels_and_template_patch(cli: Any) -> None:
    result: Run = cli("appset", "generate", APPSETS / "gotemplate.yaml", "--repo", GALLERY,
                      "-o", "json")
    assert result.code == 0, result.err
    meta = {a["metadata"]["name"]: a["metadata"] for a in result.json()}
    assert meta["quote-api-prod-us"]["labels"] == {"gallery.example/env": "prod",
                                                   "gallery.example/tier": "critical"}
    assert meta["quote-api-dev-eu"]["labels"]["gallery.example/tier"] == "standard"
    slack = "notifications.argoproj.io/subscribe.on-sync-failed.slack"
    assert meta["quote-api-staging-eu"]["annotations"] == {slack: "gallery-alerts"}
    assert "annotations" not in meta["quote-api-dev-eu"]  # "alerting": false


def test_git_files_params_are_flattened_with_the_folder_as_path(cli: Any) -> None:
    result: Run = cli("appset", "generate", APPSETS / "git-files.yaml", "--repo", GALLERY,
                      "--params", "-o", "json")
    assert result.code == 0, result.err
    (entry,) = result.json()
    prod = next(p for p in entry["params"] if p["cluster.name"] == "prod-us")
    assert prod["path"] == "cluster-config/prod-us"
    assert prod["path.filename"] == "config.json"
    assert prod["statusPage.replicas"] == "3"
    assert prod["alerting"] == "true"


def test_clusters_file_can_replace_the_configured_clusters(cli: Any) -> None:
    result: Run = cli("appset", "generate", APPSETS / "matrix.yaml", "--repo", GALLERY,
                      "--clusters", GALLERY / "clusters.yaml", "-o", "json")
    assert result.code == 0, result.err
    names = sorted(a["metadata"]["name"] for a in result.json())
    assert names == ["prod-us-echo-server", "prod-us-quote-api", "staging-eu-echo-server",
                     "staging-eu-quote-api"]
