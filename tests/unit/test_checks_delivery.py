"""Lint rules about what reaches clusters and how: AP009-AP018, each positive and negative."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyrage  # type: ignore[import-untyped]
import pytest

from argoplane.checks.rules.images import unpinned
from argoplane.checks.rules.sync import moving_revision
from argoplane.core.errors import InputError
from tests.unit.test_checks_support import (
    app,
    base_files,
    config_map,
    deployment,
    lint_repo,
    only,
    project,
)

SOPS = shutil.which("sops", path=str(Path(sys.executable).parent)) or shutil.which("sops")


def sops_encrypt(path: Path) -> None:
    """Encrypt a file in place with the real sops binary, for a throwaway age recipient."""
    if SOPS is None:
        pytest.skip("sops binary not installed")
    recipient = str(pyrage.x25519.Identity.generate().to_public())
    subprocess.run([SOPS, "--encrypt", "--age", recipient, "--in-place", str(path)],
                   check=True, capture_output=True, timeout=60)


CHART = {
    "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    "chart/values.yaml": "secrets: {}\nimage: registry.example/web:1.0.0\n",
    "chart/templates/deploy.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: {{ .Values.image }}
""",
}


def helm_app(name: str, *value_files: str, **fields: Any) -> dict[str, Any]:
    return app(name, path="chart", spec={"source": {"helm": {"valueFiles": list(value_files)}}},
               **fields)


# -- AP009 ---------------------------------------------------------------------------------
SECRET = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"},
          "stringData": {"password": "demo-only"}}


def test_ap009_plaintext_secret_manifests_and_files(tmp_path: Path) -> None:
    files = base_files(**CHART, **{
        "manifests/web/secret.yaml": [config_map("c"), SECRET],
        "chart/prod.secrets.yaml": "secrets:\n  TOKEN: demo-only\n",
        "chart/creds.yaml": "secrets:\n  KEY: demo-only\n",
        "chart/empty.secrets.yaml": "# nothing yet\nsecrets: {}\n",
        "apps/web.yaml": app("web"),
        "apps/api.yaml": helm_app("api", "secrets://creds.yaml", "secrets://empty.secrets.yaml"),
    })
    hits = only(lint_repo(tmp_path, files), "AP009")
    assert sorted((h.file, h.line, h.app) for h in hits) == [
        ("chart/creds.yaml", 1, "api"),
        ("chart/prod.secrets.yaml", 1, None),
        ("manifests/web/secret.yaml", 12, None),
    ]
    assert all(h.level == "error" for h in hits)
    assert "referenced as secrets:// by 1 Application" in next(
        h.message for h in hits if h.app == "api")


def test_ap009_sops_encrypted_files_pass(tmp_path: Path) -> None:
    def encrypt(root: Path) -> None:
        sops_encrypt(root / "chart/prod.secrets.yaml")
        sops_encrypt(root / "secrets/secret.yaml")

    files = base_files(**CHART, **{
        "secrets/secret.yaml": SECRET,
        "chart/prod.secrets.yaml": "secrets:\n  TOKEN: demo-only\n",
        "apps/web.yaml": app("web"),
        "apps/api.yaml": helm_app("api", "secrets://prod.secrets.yaml"),
    })
    findings = lint_repo(tmp_path, files, prepare=encrypt)
    assert only(findings, "AP009") == []
    assert only(findings, "AP016") == []


# -- AP010 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("image", "pinned"), [
    ("nginx", False), ("nginx:latest", False), ("nginx:", False), ("nginx:stable", False),
    ("postgres:16", False), ("redis:7.2", False), ("registry:5000/team/web", False),
    ("registry:5000/team/web:1.2.3", True), ("nginx:1.27.0-alpine", True),
    ("nginx@sha256:" + "a" * 64, True), ("nginx:latest@sha256:" + "b" * 64, True),
])
def test_image_pinning(image: str, pinned: bool) -> None:
    assert (unpinned(image) is None) == pinned


def test_ap010_only_in_production(tmp_path: Path) -> None:
    files = base_files(**{
        "manifests/web/deployment.yaml": deployment(image="registry.example/web:latest"),
        "apps/web-prod.yaml": app("web-prod", cluster="prod"),
        "apps/web-dev.yaml": app("web-dev"),
    })
    (hit,) = only(lint_repo(tmp_path, files), "AP010")
    assert (hit.app, hit.file, hit.line, hit.level) == (
        "web-prod", "manifests/web/deployment.yaml", 17, "warning")
    assert "container web: image 'registry.example/web:latest' uses the moving tag" in \
        hit.message


def test_ap010_production_by_name_and_markers(tmp_path: Path) -> None:
    files = base_files(**{
        "manifests/web/deployment.yaml": deployment(image="registry.example/web"),
        "apps/a.yaml": app("web-production"),
        "apps/b.yaml": app("products"),  # "products" is not the word "prod"
        ".argoplane.yaml": {"repoURLs": ["https://git.example.com/team/deploy.git"],
                            "clusters": [{"name": "dev", "server": "https://dev.k8s.example"}],
                            "lint": {"productionMarkers": ["production"]}},
    })
    assert [h.app for h in only(lint_repo(tmp_path, files), "AP010")] == ["web-production"]


# -- AP011 ---------------------------------------------------------------------------------
def test_ap011_manual_services_and_pruned_databases(tmp_path: Path) -> None:
    chart = {"repoURL": "https://charts.example.com", "chart": "redis",
             "targetRevision": "19.0.1"}
    files = base_files(**{
        "apps/manual.yaml": app("manual", spec={"syncPolicy": {"automated": None}}),
        "apps/disabled.yaml": app("disabled", spec={"syncPolicy": {"automated": {
            "enabled": False}}}),
        "apps/auto.yaml": app("auto"),
        "apps/pg.yaml": app("postgres-main", spec={"syncPolicy": {"automated": {
            "prune": True}}}),
        "apps/pg-safe.yaml": app("postgres-replica"),
        "apps/redis.yaml": app("cache", spec={"source": chart, "syncPolicy": {
            "automated": None}}),
        "projects/team.yaml": project(sourceRepos=["*"]),
    })
    hits = only(lint_repo(tmp_path, files), "AP011")
    assert sorted(str(h.app) for h in hits) == ["disabled", "manual", "postgres-main"]
    pg = next(h for h in hits if h.app == "postgres-main")
    assert pg.line == 18  # spec.syncPolicy.automated.prune
    assert "critical infrastructure" in pg.message


def test_ap011_stateful_sets_with_volumes_are_critical(tmp_path: Path) -> None:
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "store"},
           "spec": {"serviceName": "store", "selector": {"matchLabels": {"app": "store"}},
                    "template": {"metadata": {"labels": {"app": "store"}}, "spec": {
                        "containers": [{"name": "store", "image": "store:1.0.0"}]}},
                    "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                        "accessModes": ["ReadWriteOnce"],
                        "resources": {"requests": {"storage": "1Gi"}}}}]}}
    files = base_files(**{"manifests/web/deployment.yaml": sts,
                          "apps/store.yaml": app("store", spec={"syncPolicy": {
                              "automated": {"prune": True}}})})
    assert [h.app for h in only(lint_repo(tmp_path, files), "AP011")] == ["store"]


# -- AP012 / AP013 / AP015 -----------------------------------------------------------------
def test_ap012_shared_resources_on_one_cluster(tmp_path: Path) -> None:
    shared = config_map("settings", namespace="team-shared")
    files = base_files(**{
        "manifests/a/cm.yaml": shared, "manifests/b/cm.yaml": shared,
        "apps/a.yaml": app("a", path="manifests/a"),
        "apps/b.yaml": app("b", path="manifests/b"),
        "apps/c.yaml": app("c", path="manifests/b", cluster="prod", revision="v1"),
    })
    (hit,) = only(lint_repo(tmp_path, files), "AP012")
    assert (hit.app, hit.file, hit.line) == ("b", "manifests/b/cm.yaml", 1)
    assert "ConfigMap team-shared/settings is also rendered by Application a" in hit.message


def test_ap013_namespaces_nobody_creates(tmp_path: Path) -> None:
    no_create = {"syncPolicy": {"syncOptions": None}}
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-api"}}
    files = base_files(**{
        "apps/web.yaml": app("web", spec=no_create),
        "apps/api.yaml": app("api", path="manifests/api", spec=no_create),
        "apps/ns.yaml": app("namespaces", path="manifests/ns"),
        "manifests/api/cm.yaml": config_map("api"),
        "manifests/ns/ns.yaml": namespace,
        "apps/created.yaml": app("created"),
        "apps/system.yaml": app("system", namespace="kube-system", spec=no_create,
                                path="manifests/api"),
    })
    (hit,) = only(lint_repo(tmp_path, files), "AP013")
    assert (hit.app, hit.file, hit.line, hit.level) == ("web", "apps/web.yaml", 10, "warning")


def test_ap015_shared_namespaces(tmp_path: Path) -> None:
    files = base_files(**{
        "apps/a.yaml": app("a", namespace="team-shop"),
        "apps/b.yaml": app("b", namespace="team-shop", path="manifests/b"),
        "apps/c.yaml": app("c", namespace="team-shop", cluster="prod", revision="v1"),
        "manifests/b/cm.yaml": config_map("b"),
    })
    hits = only(lint_repo(tmp_path, files), "AP015")
    assert sorted((h.app, h.level) for h in hits) == [("a", "info"), ("b", "info")]
    assert "shares namespace team-shop with b" in hits[0].message


# -- AP014 / AP016 -------------------------------------------------------------------------
def test_ap014_history_limit(tmp_path: Path) -> None:
    files = base_files(**{"apps/a.yaml": app("a", spec={"revisionHistoryLimit": None}),
                          "apps/b.yaml": app("b")})
    (hit,) = only(lint_repo(tmp_path, files), "AP014")
    assert (hit.app, hit.level, hit.line) == ("a", "info", 6)


def test_ap016_failures_and_offline_skips(tmp_path: Path) -> None:
    broken = dict(CHART)
    broken["chart/templates/deploy.yaml"] = "{{ fail \"no image configured\" }}\n"
    chart = {"repoURL": "https://charts.example.com", "chart": "redis",
             "targetRevision": "19.0.1"}
    files = base_files(**broken, **{
        "apps/web.yaml": helm_app("web"),
        "apps/cache.yaml": app("cache", spec={"source": chart}),
        "apps/ok.yaml": app("ok"),
        "projects/team.yaml": project(sourceRepos=["*"]),
    })
    hits = only(lint_repo(tmp_path, files), "AP016")
    assert sorted((h.app, h.level) for h in hits) == [("cache", "info"), ("web", "error")]
    assert "no image configured" in next(h.message for h in hits if h.app == "web")
    assert "offline chart cache" in next(h.message for h in hits if h.app == "cache")


# -- AP017 ---------------------------------------------------------------------------------
def test_ap017_kubernetes_schemas(tmp_path: Path) -> None:
    monitor = {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
               "metadata": {"name": "web"}, "spec": {}}
    old = {"apiVersion": "policy/v1beta1", "kind": "PodDisruptionBudget",
           "metadata": {"name": "web"}, "spec": {"maxUnavailable": 1}}
    files = base_files(**{
        "manifests/web/deployment.yaml": deployment(replicas="2"),
        "manifests/web/extra.yaml": [monitor, monitor, old, config_map("fine")],
        "apps/web.yaml": app("web"),
    })
    hits = only(lint_repo(tmp_path, files), "AP017")
    assert sorted((h.file, h.line, h.level) for h in hits) == [
        ("manifests/web/deployment.yaml", 6, "error"),
        ("manifests/web/extra.yaml", 1, "info"),
        ("manifests/web/extra.yaml", 13, "error"),
    ]
    messages = " | ".join(h.message for h in hits)
    assert "spec.replicas: '2' is not of type 'integer'" in messages
    assert "Kubernetes 1.31 has no PodDisruptionBudget in policy/v1beta1" in messages


def test_ap017_sops_encrypted_manifests_cannot_be_applied(tmp_path: Path) -> None:
    files = base_files(**{"manifests/web/secret.yaml": SECRET, "apps/web.yaml": app("web")})
    findings = lint_repo(tmp_path, files,
                         prepare=lambda root: sops_encrypt(root / "manifests/web/secret.yaml"))
    assert only(findings, "AP009") == []
    (hit,) = only(findings, "AP017")
    assert (hit.file, hit.level) == ("manifests/web/secret.yaml", "error")
    assert "is SOPS-encrypted, apiVersion and kind included" in hit.message


def test_ap017_version_is_configurable(tmp_path: Path) -> None:
    config = {"repoURLs": ["https://git.example.com/team/deploy.git"],
              "clusters": [{"name": "dev", "server": "https://dev.k8s.example"}],
              "lint": {"kubernetesVersion": "1.12"}}
    with pytest.raises(InputError, match=r"kubernetes version 1.12 is not supported"):
        lint_repo(tmp_path, base_files(**{".argoplane.yaml": config, "apps/a.yaml": app("a")}))


# -- AP018 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("source", "moving"), [
    ({"targetRevision": "HEAD"}, True), ({}, True), ({"targetRevision": "main"}, True),
    ({"targetRevision": "release/2.x"}, True), ({"targetRevision": "v1.4.0"}, False),
    ({"targetRevision": "2.3"}, False), ({"targetRevision": "0b5e7f1"}, False),
    ({"targetRevision": "refs/tags/prod"}, False),
    ({"chart": "redis", "targetRevision": "19.0.1"}, False),
    ({"chart": "redis", "targetRevision": "19.*"}, True),
    ({"chart": "redis", "targetRevision": ">=19.0.0"}, True), ({"chart": "redis"}, True),
])
def test_moving_revisions(source: dict[str, str], moving: bool) -> None:
    assert (moving_revision(source) is not None) == moving


def test_ap018_production_only(tmp_path: Path) -> None:
    files = base_files(**{
        "apps/a.yaml": app("web-prod", cluster="prod", revision="main"),
        "apps/b.yaml": app("api-prod", cluster="prod", revision="v2.0.0", path="manifests/api"),
        "apps/c.yaml": app("web-dev", revision="main"),
        "manifests/api/cm.yaml": config_map("api"),
    })
    (hit,) = only(lint_repo(tmp_path, files), "AP018")
    assert (hit.app, hit.file, hit.line, hit.level) == ("web-prod", "apps/a.yaml", 13,
                                                        "warning")
    assert "follows 'main', a branch" in hit.message
