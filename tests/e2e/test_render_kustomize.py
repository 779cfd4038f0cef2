"""Kustomize sources: built by kubectl's kustomize when present, skipped with a reason if not."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

FILES = {
    "app.yaml": """
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata:
          name: web-prod
          namespace: argocd
        spec:
          project: default
          destination: {server: https://kubernetes.default.svc, namespace: web}
          source:
            repoURL: https://git.example.com/r.git
            path: overlays/prod
    """,
    "base/kustomization.yaml": """
        resources: [deployment.yaml]
    """,
    "base/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "nginx:1.27"}]}
    """,
    "overlays/prod/kustomization.yaml": """
        resources: [../../base]
        namePrefix: prod-
        patches:
          - target: {kind: Deployment, name: web}
            patch: |-
              - op: replace
                path: /spec/replicas
                value: 3
    """,
}


def test_kustomize_overlay_renders(cli: Any, repo: Any) -> None:
    if shutil.which("kustomize") is None and shutil.which("kubectl") is None:
        pytest.skip("neither kustomize nor kubectl on PATH (run `make tools`)")
    result = cli("render", repo(FILES), "-o", "json")
    assert result.code == 0, result.err
    (app,) = result.json()["applications"]
    (deployment,) = app["resources"]
    assert deployment["name"] == "prod-web"
    assert deployment["namespace"] == "web"
    assert deployment["manifest"]["spec"]["replicas"] == 3
    assert deployment["manifest"]["metadata"]["annotations"][
        "argocd.argoproj.io/tracking-id"] == "web-prod:apps/Deployment:web/prod-web"


def test_kustomize_missing_binary_is_skipped(
    cli: Any, repo: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = cli("render", repo(FILES), "-o", "json")
    assert result.code == 0
    (app,) = result.json()["applications"]
    assert app["status"] == "skipped"
    assert "neither `kustomize` nor `kubectl` is on PATH" in app["messages"][0]["text"]


def test_kustomization_reaching_outside_the_repo_is_refused(cli: Any, repo: Any) -> None:
    files = dict(FILES)
    files["overlays/prod/kustomization.yaml"] = "resources: [../../../../etc]\n"
    result = cli("render", repo(files), "-o", "json")
    assert result.code == 2
    assert "outside the repository" in result.err
