"""Helpers for the lint tests (no tests here): small repositories as data, and a linter run."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from argoplane.checks.engine import lint
from argoplane.checks.model import Finding, Level
from argoplane.checks.registry import RULES
from argoplane.checks.settings import load_settings
from argoplane.core import yamlio
from argoplane.core.snapshot import Snapshot
from argoplane.render.tree import render_repository
from tests.conftest import write_repo

REPO_URL = "https://git.example.com/team/deploy.git"
CONFIG: dict[str, Any] = {
    "repoURLs": [REPO_URL],
    "clusters": [
        {"name": "prod", "server": "https://prod.k8s.example", "labels": {"env": "production"}},
        {"name": "dev", "server": "https://dev.k8s.example", "labels": {"env": "development"}},
    ],
}
Files = Mapping[str, Any]


def merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, Mapping):
        out = dict(base)
        for key, value in override.items():
            out[key] = merge(base.get(key), value) if key in base else value
        return out
    return copy.deepcopy(override)


def app(name: str, *, project: str = "team", cluster: str = "dev",
        namespace: str | None = None, path: str = "manifests/web", revision: str = "HEAD",
        **overrides: Any) -> dict[str, Any]:
    """A clean Application (automated sync, CreateNamespace, history limit), then overrides."""
    base = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {
            "project": project,
            "destination": {"name": cluster, "namespace": namespace or f"team-{name}"},
            "source": {"repoURL": REPO_URL, "targetRevision": revision, "path": path},
            "syncPolicy": {"automated": {"selfHeal": True},
                           "syncOptions": ["CreateNamespace=true"]},
            "revisionHistoryLimit": 3,
        },
    }
    return merge(base, overrides)  # type: ignore[no-any-return]


def project(name: str = "team", **spec: Any) -> dict[str, Any]:
    base = {
        "sourceRepos": [REPO_URL],
        "destinations": [{"name": "*", "namespace": "team-*"}],
        "clusterResourceWhitelist": [{"group": "", "kind": "Namespace"}],
    }
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject",
            "metadata": {"name": name, "namespace": "argocd"}, "spec": {**base, **spec}}


def deployment(name: str = "web", image: str = "registry.example/web:1.2.3",
               **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": merge({
            "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}},
                         "spec": {"containers": [{"name": name, "image": image}]}},
        }, spec),
    }


def config_map(name: str = "web", namespace: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"a": "b"}}


def write(root: Path, files: Files) -> Path:
    """Write {path: text | object | [objects]}: objects are dumped as YAML documents."""
    texts: dict[str, str] = {}
    for rel, content in files.items():
        if isinstance(content, str):
            texts[rel] = content
        elif isinstance(content, list):
            texts[rel] = yamlio.dump_all(content)
        else:
            texts[rel] = yamlio.dump(content)
    return write_repo(root, texts)


def base_files(**extra: Any) -> dict[str, Any]:
    return {".argoplane.yaml": CONFIG, "projects/team.yaml": project(),
            "manifests/web/deployment.yaml": deployment(), **extra}


def lint_repo(root: Path, files: Files, *, severity: Level = "info",
              prepare: Callable[[Path], None] | None = None) -> list[Finding]:
    write(root, files)
    if prepare is not None:
        prepare(root)
    snapshot = Snapshot.open(root)
    tree = render_repository(snapshot)
    settings = load_settings(snapshot.config, RULES)
    report, _ = lint(tree, snapshot, settings, clusters=snapshot.config.clusters,
                     repo=str(root), severity=severity)
    return list(report.findings)


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]
