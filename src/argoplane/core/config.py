"""Repository configuration: `.argoplane.yaml` at the repository root (optional)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argoplane.core import yamlio
from argoplane.core.errors import InputError

CONFIG_FILE = ".argoplane.yaml"
TRACKING_METHODS = ("annotation", "label", "annotation+label")


@dataclass(frozen=True)
class ClusterConfig:
    name: str
    server: str
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    project: str = ""


@dataclass(frozen=True)
class Config:
    repo_urls: tuple[str, ...] = ()
    argocd_namespace: str = "argocd"
    clusters: tuple[ClusterConfig, ...] = ()
    charts_dir: str | None = None  # offline Helm chart cache, relative to the repo root
    values_file_schemes: tuple[str, ...] = ("https", "http")
    kube_version: str | None = None
    api_versions: tuple[str, ...] = ()
    tracking_method: str = "annotation"
    instance_label_key: str = "app.kubernetes.io/instance"
    age_key_file: str | None = None  # secrets.ageKeyFile: age identities for secrets://
    sealed_secrets_certs: dict[str, str] = field(default_factory=dict)  # cluster -> cert file
    raw: dict[str, Any] = field(default_factory=dict)


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where} must be a list of strings", file=CONFIG_FILE)
    return tuple(value)


def _str_map(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{where} must be a mapping", file=CONFIG_FILE)
    return {str(k): str(v) for k, v in value.items()}


def parse_clusters(items: Any, file: str) -> tuple[ClusterConfig, ...]:
    """Clusters as `{name, server, labels, annotations}` or Argo CD cluster Secret manifests."""
    if items is None:
        return ()
    if isinstance(items, dict) and "clusters" in items:
        items = items["clusters"]
    if not isinstance(items, list):
        raise InputError("clusters must be a list", file=file)
    out: list[ClusterConfig] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(f"clusters[{i}] must be a mapping", file=file)
        if item.get("kind") == "Secret":
            meta = item.get("metadata") or {}
            data = dict(item.get("stringData") or {})
            if not data and item.get("data"):
                import base64

                data = {k: base64.b64decode(v).decode() for k, v in item["data"].items()}
            name, server = data.get("name", ""), data.get("server", "")
            labels = _str_map(meta.get("labels"), f"clusters[{i}].metadata.labels")
            annotations = _str_map(meta.get("annotations"), f"clusters[{i}].metadata.annotations")
            project = str(data.get("project", ""))
        else:
            name, server = str(item.get("name", "")), str(item.get("server", ""))
            labels = _str_map(item.get("labels"), f"clusters[{i}].labels")
            annotations = _str_map(item.get("annotations"), f"clusters[{i}].annotations")
            project = str(item.get("project", ""))
        if not server:
            raise InputError(f"clusters[{i}] ({name or 'unnamed'}) has no server", file=file)
        out.append(ClusterConfig(name or server, server, labels, annotations, project))
    return tuple(out)


def _secrets_settings(value: Any) -> tuple[str | None, dict[str, str]]:
    """`secrets: {ageKeyFile: PATH, sealedSecrets: {certs: {CLUSTER: PEM}}}` (paths from the
    repository root)."""
    if value is None:
        return None, {}
    if not isinstance(value, dict):
        raise InputError("`secrets` must be a mapping", file=CONFIG_FILE)
    key_file = value.get("ageKeyFile")
    if key_file is not None and not isinstance(key_file, str):
        raise InputError("secrets.ageKeyFile must be a path", file=CONFIG_FILE)
    sealed = value.get("sealedSecrets") or {}
    if not isinstance(sealed, dict):
        raise InputError("secrets.sealedSecrets must be a mapping", file=CONFIG_FILE)
    return key_file or None, _str_map(sealed.get("certs"), "secrets.sealedSecrets.certs")


def load_config(root: Path) -> Config:
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
    data = yamlio.load(path.read_text(encoding="utf-8"), CONFIG_FILE)
    if data is None:
        return Config()
    if not isinstance(data, dict):
        raise InputError("must be a mapping", file=CONFIG_FILE)
    helm = data.get("helm") or {}
    tracking = data.get("tracking") or {}
    if not isinstance(helm, dict) or not isinstance(tracking, dict):
        raise InputError("`helm` and `tracking` must be mappings", file=CONFIG_FILE)
    method = str(tracking.get("method", "annotation"))
    if method not in TRACKING_METHODS:
        raise InputError(
            f"tracking.method must be one of {', '.join(TRACKING_METHODS)}, not {method!r}",
            file=CONFIG_FILE,
        )
    age_key_file, sealed_certs = _secrets_settings(data.get("secrets"))
    return Config(
        repo_urls=_str_list(data.get("repoURLs"), "repoURLs"),
        argocd_namespace=str(data.get("argocdNamespace", "argocd")),
        clusters=parse_clusters(data.get("clusters"), CONFIG_FILE),
        charts_dir=helm.get("chartsDir"),
        values_file_schemes=_str_list(helm.get("valuesFileSchemes"), "helm.valuesFileSchemes")
        or ("https", "http"),
        kube_version=helm.get("kubeVersion"),
        api_versions=_str_list(helm.get("apiVersions"), "helm.apiVersions"),
        tracking_method=method,
        instance_label_key=str(tracking.get("labelKey", "app.kubernetes.io/instance")),
        age_key_file=age_key_file,
        sealed_secrets_certs=sealed_certs,
        raw=data,
    )
