"""The rendered tree read as a platform: services, infrastructure, roots, and how each is set up."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from argoplane.argocd.objects import (
    ARGO_KINDS,
    IN_CLUSTER_NAME,
    IN_CLUSTER_SERVER,
    Destination,
    argo_kind,
    project_of,
    sources_of,
    spec_of,
)
from argoplane.assess import naming
from argoplane.core import yamlio
from argoplane.core.config import ClusterConfig
from argoplane.core.errors import ArgoplaneError
from argoplane.core.snapshot import Snapshot
from argoplane.render.helm.source import argocd_env, is_sops_encrypted
from argoplane.render.helm.values import resolve_value_files
from argoplane.render.model import RenderedApp, RenderedTree
from argoplane.render.sources import source_type

Role = Literal["service", "infrastructure", "app-of-apps"]
LayerKind = Literal["chart", "file", "inline", "parameters"]


@dataclass(frozen=True)
class ValueLayer:
    """One layer of an Application's Helm values, in the order helm merges them."""

    kind: LayerKind
    file: str | None  # repo-relative, for chart and file layers
    data: Mapping[str, Any] | None  # None when it cannot be read (encrypted, missing, invalid)
    secrets: bool = False  # referenced with the helm-secrets `secrets://` scheme
    encrypted: bool = False  # a SOPS file (top-level `sops` mapping)


@dataclass
class AppInfo:
    app: RenderedApp
    role: Role
    component: str  # the service or infrastructure name this Application deploys
    source_type: str  # helm | kustomize | directory | plugin | chart (Helm repository) | remote
    source_path: str | None  # repo-relative folder of a source from this repository
    file: str | None  # the file that declares it (its own, or its ApplicationSet's)
    destination: Destination
    cluster: str
    project: str
    layers: list[ValueLayer] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)  # its ApplicationSet element
    envs: set[str] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return self.app.name

    @property
    def spec(self) -> Mapping[str, Any]:
        return spec_of(self.app.manifest)

    @property
    def sync_policy(self) -> Mapping[str, Any]:
        policy = self.spec.get("syncPolicy")
        return policy if isinstance(policy, Mapping) else {}

    @property
    def automated(self) -> bool:
        auto = self.sync_policy.get("automated")
        return isinstance(auto, Mapping) and auto.get("enabled", True) is not False

    @property
    def self_heal(self) -> bool:
        auto = self.sync_policy.get("automated")
        return self.automated and isinstance(auto, Mapping) and auto.get("selfHeal") is True

    @property
    def revision_history(self) -> int | None:
        value = self.spec.get("revisionHistoryLimit")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def namespace_key(self) -> tuple[str, str]:
        return (self.cluster, self.destination.namespace)


@dataclass
class Component:
    name: str
    role: Role
    apps: list[AppInfo]

    @property
    def path(self) -> str | None:
        return next((a.source_path for a in self.apps if a.source_path), None)


@dataclass
class Inventory:
    snapshot: Snapshot
    tree: RenderedTree
    apps: list[AppInfo]
    services: list[Component]
    infrastructure: list[Component]
    roots: list[AppInfo]  # App-of-Apps Applications

    @property
    def workloads(self) -> list[AppInfo]:
        return [a for a in self.apps if a.role != "app-of-apps"]

    @property
    def service_apps(self) -> list[AppInfo]:
        return [a for c in self.services for a in c.apps]


def build_inventory(snapshot: Snapshot, tree: RenderedTree) -> Inventory:
    params = _appset_params(tree)
    appset_files = {s.name: s.file for s in tree.appsets}
    infos = [_app_info(snapshot, app, params.get(id(app), {}), appset_files) for app in tree.apps]
    groups: dict[tuple[Role, str], list[AppInfo]] = defaultdict(list)
    for info in infos:
        if info.role != "app-of-apps":
            groups[(info.role, info.component)].append(info)
    components = [Component(name, role, apps) for (role, name), apps in groups.items()]
    for component in components:
        _region_axis(component)
    components.sort(key=lambda c: c.name)
    return Inventory(
        snapshot=snapshot, tree=tree, apps=infos,
        services=[c for c in components if c.role == "service"],
        infrastructure=[c for c in components if c.role == "infrastructure"],
        roots=[i for i in infos if i.role == "app-of-apps"],
    )


# -- one Application -------------------------------------------------------------------------
def _appset_params(tree: RenderedTree) -> dict[int, dict[str, str]]:
    """Each generated Application's generator element, when the expansion lines up one to one."""
    out: dict[int, dict[str, str]] = {}
    for appset in tree.appsets:
        flat = [p for generator in appset.params for p in generator]
        apps = [a for a in tree.apps if a.generated_by == appset.name]
        if len(flat) != len(apps):
            continue
        for app, param_set in zip(apps, flat, strict=True):
            out[id(app)] = _flatten(param_set)
    return out


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, str | int | float | bool):
            out[name] = str(value)
    return out


def _primary_source(app: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for source in sources_of(app):
        if source.get("ref") and not source.get("path") and not source.get("chart"):
            continue
        return source
    return None


def _cluster(dest: Destination) -> str:
    if dest.name:
        return dest.name
    if dest.server == IN_CLUSTER_SERVER or not dest.server:
        return IN_CLUSTER_NAME
    return dest.server


def _cluster_config(snapshot: Snapshot, dest: Destination) -> ClusterConfig | None:
    for cluster in snapshot.config.clusters:
        if (dest.name and cluster.name == dest.name) or (
                dest.server and cluster.server.rstrip("/") == dest.server.rstrip("/")):
            return cluster
    return None


def _app_info(snapshot: Snapshot, app: RenderedApp, params: dict[str, str],
              appset_files: Mapping[str, str | None]) -> AppInfo:
    manifest = app.manifest
    dest = Destination.of(manifest)
    source = _primary_source(manifest)
    kind, path = _source_kind(snapshot, source)
    file = app.file or (appset_files.get(app.generated_by) if app.generated_by else None)
    deploys_argo = bool(app.children) or any(
        argo_kind(r.manifest) in ARGO_KINDS for r in app.resources)
    role: Role
    if deploys_argo:
        role = "app-of-apps"
    elif _is_infrastructure(app.name, kind, path, file):
        role = "infrastructure"
    else:
        role = "service"
    component = app.name if role != "service" else _component_name(path, app.name)
    info = AppInfo(app=app, role=role, component=component, source_type=kind, source_path=path,
                   file=file, destination=dest, cluster=_cluster(dest),
                   project=project_of(manifest), params=params)
    if source is not None and kind in ("helm", "chart"):
        info.layers = _value_layers(snapshot, manifest, source, path if kind == "helm" else None)
    info.envs = _envs(snapshot, info)
    info.regions = _regions(snapshot, info)
    return info


def _source_kind(snapshot: Snapshot, source: Mapping[str, Any] | None) -> tuple[str, str | None]:
    if source is None:
        return "none", None
    if source.get("chart"):
        return "chart", None
    if not snapshot.is_this_repo(str(source.get("repoURL") or "")):
        return "remote", None
    raw = str(source.get("path") or "")
    try:
        rel = snapshot.normalize(raw)
        folder = snapshot.resolve(rel)
        if not folder.is_dir():
            return "none", rel
        return source_type(source, folder), rel
    except ArgoplaneError:
        return "none", None


def _is_infrastructure(name: str, kind: str, path: str | None, file: str | None) -> bool:
    if kind in ("chart", "remote"):
        return True
    folders = [*(path or "").split("/"), *posixpath.dirname(file or "").split("/")]
    if any(f.lower() in naming.INFRA_FOLDERS for f in folders):
        return True
    return naming.is_infra_name(name) or naming.is_infra_name(posixpath.basename(path or ""))


def _component_name(path: str | None, fallback: str) -> str:
    for part in reversed((path or "").split("/")):
        if part and part.lower() not in naming.GENERIC_FOLDERS and naming.env_of(part) is None:
            return part
    return fallback


# -- Helm values -----------------------------------------------------------------------------
def _load(snapshot: Snapshot, rel: str) -> Mapping[str, Any] | None:
    try:
        data = yamlio.load(snapshot.read_text(rel), rel)
    except ArgoplaneError:
        return None
    if data is None:
        return {}
    return data if isinstance(data, Mapping) else None


def _value_layers(snapshot: Snapshot, app: Mapping[str, Any], source: Mapping[str, Any],
                  chart: str | None) -> list[ValueLayer]:
    helm = source.get("helm") if isinstance(source.get("helm"), Mapping) else {}
    assert isinstance(helm, Mapping)
    layers: list[ValueLayer] = []
    if chart is not None:
        base = posixpath.join(chart, "values.yaml") if chart else "values.yaml"
        if snapshot.resolve(base).is_file():
            layers.append(ValueLayer("chart", base, _load(snapshot, base)))
        entries = helm.get("valueFiles") or []
        if isinstance(entries, list) and entries:
            try:
                files = resolve_value_files(
                    [str(e) for e in entries], app_dir=snapshot.resolve(chart),
                    repo_root=snapshot.root, env=argocd_env(app, source),
                    allowed_schemes=snapshot.config.values_file_schemes,
                    ignore_missing=bool(helm.get("ignoreMissingValueFiles")),
                    realpaths=snapshot.realpaths)
            except ArgoplaneError:
                files = []
            for vf in files:
                if vf.path is None or vf.missing:
                    continue
                rel = snapshot.relpath(vf.path)
                data = _load(snapshot, rel)
                encrypted = is_sops_encrypted(data)
                layers.append(ValueLayer("file", rel, None if encrypted else data,
                                         secrets=vf.secrets, encrypted=encrypted))
    inline = helm.get("valuesObject")
    if not isinstance(inline, Mapping) and isinstance(helm.get("values"), str):
        try:
            inline = yamlio.load(str(helm["values"]), "helm.values")
        except ArgoplaneError:
            inline = None
    if isinstance(inline, Mapping) and inline:
        layers.append(ValueLayer("inline", None, inline))
    parameters = helm.get("parameters")
    if isinstance(parameters, list) and parameters:
        flat = {str(p.get("name")): p.get("value") for p in parameters
                if isinstance(p, Mapping) and p.get("name")}
        layers.append(ValueLayer("parameters", None, flat))
    return layers


# -- environments and regions ----------------------------------------------------------------
def _file_parts(info: AppInfo, layer: ValueLayer) -> list[str]:
    """Folder names and file-name words of a value file, relative to the chart."""
    rel = layer.file or ""
    if info.source_path and rel.startswith(info.source_path + "/"):
        rel = rel[len(info.source_path) + 1:]
    *folders, name = rel.split("/")
    return [*folders, *naming.file_words(name)]


def _envs(snapshot: Snapshot, info: AppInfo) -> set[str]:
    """The environment(s) of one Application, from the most telling place that names one."""
    found = {naming.env_of(v) or v.lower() for k, v in info.params.items()
             if naming.key_word(k) in naming.ENV_KEYS and v}
    if found:
        return found
    for layer in info.layers:
        if layer.kind == "file":
            found |= naming.envs_in(_file_parts(info, layer))
    if found:
        return found
    own = set(naming.tokens(info.component))
    for text in (info.name, info.destination.namespace, info.project, info.cluster):
        found = naming.envs_in(t for t in naming.tokens(text) if t not in own)
        if found:
            return found
    cluster = _cluster_config(snapshot, info.destination)
    if cluster is not None:
        for label in naming.ENV_LABELS:
            if cluster.labels.get(label):
                value = cluster.labels[label]
                return {naming.env_of(value) or value.lower()}
    return set()


def _regions(snapshot: Snapshot, info: AppInfo) -> set[str]:
    found = {v.lower() for k, v in info.params.items()
             if naming.key_word(k) in naming.REGION_KEYS and v}
    if found:
        return found
    cluster = _cluster_config(snapshot, info.destination)
    if cluster is not None:
        for label in naming.REGION_LABELS:
            if cluster.labels.get(label):
                return {cluster.labels[label].lower()}
    return set()


def _region_axis(component: Component) -> None:
    """Value files that differ between Applications of one environment name their region.

    `staging/in.values.yaml` next to `staging/vn.values.yaml`: `in` and `vn` are regions.
    """
    by_env: dict[frozenset[str], list[tuple[AppInfo, set[str]]]] = defaultdict(list)
    own = set(naming.tokens(component.name))
    for info in component.apps:
        words: set[str] = set()
        for layer in info.layers:
            if layer.kind == "file":
                words |= {w for w in _file_parts(info, layer)
                          if w not in naming.GENERIC_FILE_WORDS and naming.env_of(w) is None
                          and w not in own}
        by_env[frozenset(info.envs)].append((info, words))
    for members in by_env.values():
        if len(members) < 2:
            continue
        common = set.intersection(*(words for _, words in members))
        for info, words in members:
            if not info.regions and words - common:
                info.regions = words - common
