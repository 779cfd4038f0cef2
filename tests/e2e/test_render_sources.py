"""End to end: Helm-generated App-of-Apps, offline chart cache, multi-source, tracking options."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

ROOT_APP = """
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: apps, namespace: argocd}
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: argocd}
  source:
    repoURL: https://git.example.com/platform.git
    path: apps-chart
    helm:
      valuesObject:
        teams: [red, blue]
"""

APPS_CHART = {
    "apps-chart/Chart.yaml": "apiVersion: v2\nname: apps\nversion: 1.0.0\n",
    "apps-chart/values.yaml": "teams: []\n",
    "apps-chart/templates/apps.yaml": """
        {{- range .Values.teams }}
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: team-{{ . }}
        spec:
          project: default
          destination: {server: https://kubernetes.default.svc, namespace: team-{{ . }}}
          source:
            repoURL: https://git.example.com/platform.git
            path: teams/{{ . }}
        {{- end }}
    """,
    "teams/red/quota.yaml": "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: red}\n",
    "teams/blue/quota.yaml": "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: blue}\n",
}


def test_helm_chart_of_applications_is_expanded(cli: Any, repo: Any) -> None:
    root = repo({"root.yaml": ROOT_APP, **APPS_CHART})
    result = cli("render", root, "-o", "json")
    assert result.code == 0, result.err
    apps = {a["name"]: a for a in result.json()["applications"]}
    assert list(apps) == ["apps", "team-red", "team-blue"]
    red = apps["team-red"]
    assert red["parent"] == "apps"
    assert red["file"] == "apps-chart/templates/apps.yaml"
    assert [(r["kind"], r["namespace"], r["name"]) for r in red["resources"]] == [
        ("ResourceQuota", "team-red", "red")]
    child = apps["apps"]["resources"][0]["manifest"]
    assert child["metadata"]["annotations"]["argocd.argoproj.io/tracking-id"] == (
        "apps:argoproj.io/Application:argocd/team-red")


def _chart_archive(folder: Path, name: str, version: str) -> None:
    src = folder / "src" / name
    (src / "templates").mkdir(parents=True)
    (src / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n")
    (src / "values.yaml").write_text("port: 5432\n")
    (src / "templates/svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n"
        "spec:\n  ports: [{port: {{ .Values.port }}}]\n")
    with tarfile.open(folder / f"{name}-{version}.tgz", "w:gz") as tar:
        tar.add(src, arcname=name)


REMOTE = """
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: db, namespace: argocd}
spec:
  project: default
  destination: {server: https://kubernetes.default.svc, namespace: data}
  source:
    repoURL: https://charts.example.com/stable
    chart: pg
    targetRevision: 1.4.2
    helm:
      releaseName: main-db
      parameters:
        - {name: port, value: "6543"}
"""


def test_remote_chart_from_the_offline_cache(cli: Any, repo: Any, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    _chart_archive(cache, "pg", "1.4.2")
    root = repo({"db.yaml": REMOTE})
    skipped = cli("render", root, "-o", "json")
    assert skipped.code == 0
    (app,) = skipped.json()["applications"]
    assert app["status"] == "skipped"
    assert "chart pg 1.4.2 from https://charts.example.com/stable is not in the offline chart " \
        "cache" in app["messages"][0]["text"]
    result = cli("render", root, "-o", "json", "--charts-dir", cache)
    assert result.code == 0, result.err
    (app,) = result.json()["applications"]
    assert app["status"] == "rendered"
    (svc,) = app["resources"]
    assert svc["name"] == "main-db"
    assert svc["namespace"] == "data"
    assert svc["manifest"]["spec"]["ports"] == [{"port": 6543}]


def test_chart_cache_from_config(cli: Any, repo: Any) -> None:
    root = repo({"db.yaml": REMOTE, ".argoplane.yaml": "helm:\n  chartsDir: vendor/charts\n"})
    (root / "vendor/charts").mkdir(parents=True)
    _chart_archive(root / "vendor/charts", "pg", "1.4.2")
    result = cli("render", root, "-o", "json")
    assert result.code == 0
    assert result.json()["applications"][0]["status"] == "rendered"


def test_multi_source_with_ref_value_files(cli: Any, repo: Any) -> None:
    root = repo({
        "app.yaml": """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: web, namespace: argocd}
            spec:
              project: default
              destination: {server: https://kubernetes.default.svc, namespace: web}
              sources:
                - repoURL: https://git.example.com/platform.git
                  path: chart
                  helm:
                    valueFiles: [$values/envs/prod.yaml]
                - repoURL: https://git.example.com/platform.git
                  ref: values
        """,
        "chart/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
        "chart/values.yaml": "replicas: 1\n",
        "chart/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n"
                                   "data: {replicas: '{{ .Values.replicas }}'}\n",
        "envs/prod.yaml": "replicas: 5\n",
    })
    result = cli("render", root, "-o", "json")
    assert result.code == 0, result.err
    (app,) = result.json()["applications"]
    assert app["source"] is None
    assert len(app["sources"]) == 2
    assert app["resources"][0]["manifest"]["data"] == {"replicas": "5"}


def test_label_tracking_from_config(cli: Any, repo: Any) -> None:
    root = repo({
        ".argoplane.yaml": "tracking:\n  method: label\n",
        "app.yaml": """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: web, namespace: argocd}
            spec:
              project: default
              destination: {server: https://kubernetes.default.svc, namespace: web}
              source: {repoURL: https://git.example.com/p.git, path: m}
        """,
        "m/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
    })
    result = cli("render", root, "-o", "json")
    assert result.code == 0
    meta = result.json()["applications"][0]["resources"][0]["manifest"]["metadata"]
    assert meta["labels"] == {"app.kubernetes.io/instance": "web"}
    assert "annotations" not in meta


def test_source_from_another_repository_is_skipped(cli: Any, repo: Any) -> None:
    root = repo({
        ".argoplane.yaml": "repoURLs: [https://git.example.com/platform.git]\n",
        "app.yaml": """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: guestbook, namespace: argocd}
            spec:
              project: default
              destination: {server: https://kubernetes.default.svc, namespace: gb}
              source: {repoURL: https://github.com/argoproj/argocd-example-apps, path: guestbook}
        """,
    })
    result = cli("render", root, "-o", "json")
    assert result.code == 0
    (app,) = result.json()["applications"]
    assert app["status"] == "skipped"
    assert "is not this checkout" in app["messages"][0]["text"]
