"""Argo CD's own kinds, recognised in manifests, with the accessors the pipeline needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ARGO_GROUP = "argoproj.io"
APPLICATION = "Application"
APPLICATION_SET = "ApplicationSet"
APP_PROJECT = "AppProject"
ARGO_KINDS = (APPLICATION, APPLICATION_SET, APP_PROJECT)
IN_CLUSTER_SERVER = "https://kubernetes.default.svc"
IN_CLUSTER_NAME = "in-cluster"
RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io"


def api_group(manifest: Mapping[str, Any]) -> str:
    api_version = str(manifest.get("apiVersion") or "")
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def argo_kind(manifest: Any) -> str | None:
    """`Application`, `ApplicationSet` or `AppProject` when the manifest is one of Argo CD's."""
    if not isinstance(manifest, Mapping):
        return None
    kind = manifest.get("kind")
    if kind in ARGO_KINDS and api_group(manifest) == ARGO_GROUP:
        return str(kind)
    return None


def metadata(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    meta = manifest.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def name_of(manifest: Mapping[str, Any]) -> str:
    return str(metadata(manifest).get("name") or "")


def spec_of(manifest: Mapping[str, Any]) -> Mapping[str, Any]:
    spec = manifest.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def sources_of(app: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The Application's sources: `spec.sources` when set, else `[spec.source]`."""
    spec = spec_of(app)
    sources = spec.get("sources")
    if isinstance(sources, list) and sources:
        return [s for s in sources if isinstance(s, Mapping)]
    source = spec.get("source")
    return [source] if isinstance(source, Mapping) else []


@dataclass(frozen=True)
class Destination:
    server: str
    name: str
    namespace: str

    @classmethod
    def of(cls, app: Mapping[str, Any]) -> Destination:
        dest = spec_of(app).get("destination")
        dest = dest if isinstance(dest, Mapping) else {}
        return cls(
            server=str(dest.get("server") or ""),
            name=str(dest.get("name") or ""),
            namespace=str(dest.get("namespace") or ""),
        )

    def label(self) -> str:
        server = IN_CLUSTER_NAME if self.server == IN_CLUSTER_SERVER else self.server
        cluster = self.name or server or "?"
        return f"{cluster}/{self.namespace}" if self.namespace else cluster


def project_of(app: Mapping[str, Any]) -> str:
    return str(spec_of(app).get("project") or "default")
