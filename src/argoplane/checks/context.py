"""What every rule looks at: the rendered tree, the snapshot, the settings, and helpers that
answer the questions several rules ask (where is this app, is it production, which cluster)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from argoplane.argocd.objects import (
    APPLICATION,
    IN_CLUSTER_NAME,
    IN_CLUSTER_SERVER,
    Destination,
    metadata,
    project_of,
    spec_of,
)
from argoplane.checks.locate import FieldPath, Locator
from argoplane.checks.settings import LintSettings
from argoplane.core.config import ClusterConfig
from argoplane.core.snapshot import Snapshot
from argoplane.render.discover import Candidate, discover
from argoplane.render.model import RenderedApp, RenderedAppSet, RenderedTree, Resource

# Argo CD's built-in `default` project, as it exists when no AppProject named default is
# applied: every repository, every destination, every kind.
DEFAULT_PROJECT_SPEC: Mapping[str, Any] = {
    "sourceRepos": ["*"],
    "destinations": [{"server": "*", "namespace": "*"}],
    "clusterResourceWhitelist": [{"group": "*", "kind": "*"}],
}
IN_CLUSTER = ClusterConfig(IN_CLUSTER_NAME, IN_CLUSTER_SERVER)
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Site:
    file: str | None
    line: int | None


def sync_options(app: Mapping[str, Any]) -> list[str]:
    policy = spec_of(app).get("syncPolicy")
    options = policy.get("syncOptions") if isinstance(policy, Mapping) else None
    return [str(o).replace(" ", "") for o in options] if isinstance(options, list) else []


def automated(app: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """`spec.syncPolicy.automated` when automated sync is on (`enabled: false` turns it off)."""
    policy = spec_of(app).get("syncPolicy")
    auto = policy.get("automated") if isinstance(policy, Mapping) else None
    if not isinstance(auto, Mapping) or auto.get("enabled") is False:
        return None
    return auto


def source_path(app: Mapping[str, Any], index: int) -> tuple[str | int, ...]:
    """The field path of the index-th source: `spec.sources[i]` or `spec.source`."""
    sources = spec_of(app).get("sources")
    if isinstance(sources, list) and sources:
        return ("spec", "sources", index)
    return ("spec", "source")


@dataclass
class LintContext:
    tree: RenderedTree
    snapshot: Snapshot
    settings: LintSettings
    clusters: tuple[ClusterConfig, ...] = ()
    locator: Locator = field(init=False)
    memo: dict[Any, Any] = field(default_factory=dict)  # results several rules share

    def __post_init__(self) -> None:
        self.locator = Locator(self.snapshot)

    # -- the repository -------------------------------------------------------------------
    @cached_property
    def candidates(self) -> list[Candidate]:
        """Every Argo CD manifest in the repository's files, reachable or not."""
        return discover(self.snapshot)[0]

    @cached_property
    def appsets(self) -> dict[str, RenderedAppSet]:
        return {s.name: s for s in self.tree.appsets}

    @property
    def argocd_namespace(self) -> str:
        return self.snapshot.config.argocd_namespace

    def project_spec(self, name: str) -> Mapping[str, Any] | None:
        """The AppProject's spec; Argo CD's built-in one for an undefined `default`."""
        manifest = self.tree.projects.get(name)
        if manifest is not None:
            return spec_of(manifest)
        return DEFAULT_PROJECT_SPEC if name == "default" else None

    @staticmethod
    def project(app: RenderedApp) -> str:
        return project_of(app.manifest)

    # -- clusters -------------------------------------------------------------------------
    def cluster(self, app: RenderedApp) -> ClusterConfig | None:
        """The cluster the destination resolves to, as far as the repository knows it."""
        dest = Destination.of(app.manifest)
        known = (*self.clusters, IN_CLUSTER)
        if dest.server:
            return next((c for c in known if c.server == dest.server), None)
        if dest.name:
            return next((c for c in known if c.name == dest.name), None)
        return None

    def cluster_key(self, app: RenderedApp) -> str:
        """One string per destination cluster (its server when known)."""
        found = self.cluster(app)
        if found is not None:
            return found.server
        dest = Destination.of(app.manifest)
        return dest.server or f"name:{dest.name}"

    # -- environments ---------------------------------------------------------------------
    def is_production(self, app: RenderedApp) -> bool:
        """Whether a word of the app's name, project, destination or cluster labels marks it
        as production (`productionMarkers`, default prod/production/prd/live)."""
        dest = Destination.of(app.manifest)
        texts = [app.name, self.project(app), dest.name, dest.namespace]
        found = self.cluster(app)
        if found is not None:
            texts += [found.name, *found.labels.values()]
        markers = set(self.settings.production_markers)
        return any(word in markers for text in texts for word in _WORDS.findall(text.lower()))

    # -- positions ------------------------------------------------------------------------
    def appset_of(self, app: RenderedApp) -> RenderedAppSet | None:
        return self.appsets.get(app.generated_by) if app.generated_by else None

    def app_site(self, app: RenderedApp, path: FieldPath = ()) -> Site:
        """The file and line of a field of an Application: its own manifest, the template of
        the ApplicationSet that generated it, or the chart template that rendered it."""
        appset = self.appset_of(app)
        if appset is not None:
            if appset.file is None:
                return Site(None, None)
            inner: tuple[str | int, ...] = ("spec", "template", *path) if path else (
                "spec", "template")
            return Site(appset.file, self.locator.line(
                appset.file, inner, kind="ApplicationSet", name=appset.name))
        if app.file is not None:
            return Site(app.file, self.locator.line(app.file, path, kind=APPLICATION,
                                                    name=app.name))
        parent = self.tree.app(app.parent) if app.parent else None
        if parent is not None:
            for res in parent.resources:
                if res.kind == APPLICATION and res.name == app.name:
                    return Site(res.origin, None)
        return Site(None, None)

    def resource_site(self, resource: Resource, path: FieldPath = ()) -> Site:
        """A rendered object's file, with its line when the file is a plain manifest."""
        origin = resource.origin
        namespace = str(metadata(resource.manifest).get("namespace") or "") or None
        line = self.locator.line(origin, path, kind=resource.kind, name=resource.name,
                                 namespace=namespace) if self._plain_file(origin) else None
        return Site(origin, line)

    def _plain_file(self, origin: str) -> bool:
        """True when the object was read as is from this file (not a template's output)."""
        parts = origin.split("/")
        return "templates" not in parts[:-1] and origin.endswith((".yaml", ".yml", ".json"))

    # -- annotations ----------------------------------------------------------------------
    def owners(self, app: RenderedApp | None) -> Sequence[Mapping[str, Any]]:
        """The manifests whose ignore annotation covers an app: itself and its ApplicationSet."""
        if app is None:
            return ()
        out: list[Mapping[str, Any]] = [app.manifest]
        appset = self.appset_of(app)
        if appset is not None:
            out.append(appset.manifest)
        return out
