"""The App-of-Apps walk: roots -> Applications -> resources, recursively, into a RenderedTree."""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argoplane.argocd import appset as appsets
from argoplane.argocd.generators.base import Cluster, GeneratorContext
from argoplane.argocd.kinds import is_namespaced
from argoplane.argocd.objects import (
    APP_PROJECT,
    APPLICATION,
    APPLICATION_SET,
    IN_CLUSTER_NAME,
    Destination,
    api_group,
    argo_kind,
    metadata,
    name_of,
    sources_of,
)
from argoplane.argocd.tracking import set_app_instance
from argoplane.core.errors import ArgoplaneError
from argoplane.core.snapshot import Snapshot
from argoplane.render.directory import DirectoryOptions, find_manifests
from argoplane.render.discover import Candidate, discover
from argoplane.render.helm.backends import HelmBackend, SdkBackend
from argoplane.render.model import Message, RenderedApp, RenderedAppSet, RenderedTree, Resource
from argoplane.render.sources import Skipped, SourceRenderer, check_app_path, source_type
from argoplane.secrets.values import SecretValues, secret_values

MAX_DEPTH = 10


@dataclass
class RenderOptions:
    roots: list[str] = field(default_factory=list)  # repo-relative files or folders
    helm: HelmBackend | None = None
    charts_dirs: list[Path] = field(default_factory=list)
    clusters: tuple[Cluster, ...] | None = None  # overrides .argoplane.yaml
    on_app: Callable[[str], None] | None = None  # progress callback
    secrets: SecretValues | None = None  # secrets:// loader; default: keys from env + config


class Renderer:
    def __init__(self, snapshot: Snapshot, options: RenderOptions | None = None) -> None:
        self.snapshot = snapshot
        self.config = snapshot.config
        self.options = options or RenderOptions()
        self.clusters = (self.options.clusters if self.options.clusters is not None
                         else self.config.clusters)
        charts = list(self.options.charts_dirs)
        if self.config.charts_dir:
            charts.append(snapshot.root / self.config.charts_dir)
        self.charts_dirs = charts
        self.tree = RenderedTree(repo=str(snapshot.root))

    # -- entry point -----------------------------------------------------------------------
    def render(self) -> RenderedTree:
        secrets = self.options.secrets or secret_values(self.snapshot.root, self.config)
        with tempfile.TemporaryDirectory(prefix="argoplane-") as workspace:
            self.sources = SourceRenderer(
                self.snapshot, self.config, self.options.helm or SdkBackend(),
                Path(workspace), self.charts_dirs, secrets,
            )
            candidates, messages = discover(self.snapshot)
            self.tree.messages.extend(messages)
            for c in candidates:
                if c.kind == APP_PROJECT:
                    self._project(c.manifest, c.file)
            roots = self._roots(candidates)
            for c in roots:
                self.tree.roots.append(name_of(c.manifest))
                self._visit(c.manifest, c.file, parent=None, depth=0, stack=())
        self.tree.messages += [Message("info", text) for text in secrets.summary()]
        return self.tree

    # -- roots -----------------------------------------------------------------------------
    def _roots(self, candidates: list[Candidate]) -> list[Candidate]:
        apps = [c for c in candidates if c.kind in (APPLICATION, APPLICATION_SET)]
        if self.options.roots:
            chosen: list[Candidate] = []
            for root in self.options.roots:
                picked, messages = discover(self.snapshot, root)
                self.tree.messages.extend(messages)
                picked = [c for c in picked if c.kind in (APPLICATION, APPLICATION_SET)]
                if not picked:
                    self.tree.messages.append(Message(
                        "error", f"{root}: no Application or ApplicationSet found"))
                chosen += [c for c in picked if c not in chosen]
            return chosen
        reached: dict[tuple[str, int], set[tuple[str, int]]] = {}
        for c in apps:
            reached[c.key] = self._reach(c)
        all_reached = set().union(*reached.values()) if reached else set()
        roots = [c for c in apps if c.key not in all_reached]
        # manifests that only reach each other form a cycle that no root leads into
        covered: set[tuple[str, int]] = set()
        frontier = [c.key for c in roots]
        while frontier:
            key = frontier.pop()
            if key in covered:
                continue
            covered.add(key)
            frontier.extend(reached.get(key, ()))
        for c in apps:
            if c.key not in covered:
                self.tree.messages.append(Message(
                    "error", f"{c.file}: {c.kind} {name_of(c.manifest)} is part of an "
                    "App-of-Apps cycle that no root Application leads into"))
                roots.append(c)
                covered |= self._closure(c.key, reached)
        return roots

    @staticmethod
    def _closure(key: tuple[str, int], reached: Mapping[tuple[str, int], set[tuple[str, int]]]
                 ) -> set[tuple[str, int]]:
        seen: set[tuple[str, int]] = set()
        todo = [key]
        while todo:
            k = todo.pop()
            if k not in seen:
                seen.add(k)
                todo.extend(reached.get(k, ()))
        return seen

    def _reach(self, c: Candidate) -> set[tuple[str, int]]:
        """Manifest files (file, doc) this Application's sources would deploy, found cheaply."""
        apps: Sequence[Mapping[str, Any]] = [c.manifest]
        if c.kind == APPLICATION_SET:
            try:
                apps = appsets.expand(c.manifest, self._gen_ctx(c.file),
                                      self.config.argocd_namespace).applications
            except ArgoplaneError:
                return set()
        out: set[tuple[str, int]] = set()
        for app in apps:
            for source in sources_of(app):
                if source.get("ref") and not source.get("path"):
                    continue  # a values-only source renders nothing
                if source.get("chart") or not self.snapshot.is_this_repo(
                        str(source.get("repoURL") or "")):
                    continue
                try:
                    rel = check_app_path(self.snapshot, str(source.get("path") or ""))
                    folder = self.snapshot.resolve(rel)
                    if source_type(source, folder) != "directory":
                        continue
                    found, _ = find_manifests(self.snapshot, rel,
                                              DirectoryOptions.of(source.get("directory")))
                except ArgoplaneError:
                    continue
                out |= {(f.file, f.index) for f in found}
        out.discard(c.key)  # an Application that deploys its own manifest manages itself
        return out

    # -- walking ---------------------------------------------------------------------------
    def _gen_ctx(self, file: str | None) -> GeneratorContext:
        return GeneratorContext(appset_name="", clusters=self.clusters, file=file,
                                repo_dir=self._repo_dir)

    def _repo_dir(self, repo_url: str) -> Path | None:
        return self.snapshot.root if self.snapshot.is_this_repo(repo_url) else None

    def _project(self, manifest: dict[str, Any], file: str | None) -> None:
        name = name_of(manifest)
        if name and name not in self.tree.projects:
            self.tree.projects[name] = manifest
            if file:
                self.tree.project_files[name] = file

    def _visit(self, manifest: dict[str, Any], file: str | None, *, parent: str | None,
               depth: int, stack: tuple[str, ...]) -> None:
        kind = argo_kind(manifest)
        if kind == APPLICATION:
            self._visit_app(manifest, file, parent=parent, generated_by=None, depth=depth,
                            stack=stack)
        elif kind == APPLICATION_SET:
            self._visit_appset(manifest, file, parent=parent, depth=depth, stack=stack)

    def _visit_appset(self, manifest: dict[str, Any], file: str | None, *, parent: str | None,
                      depth: int, stack: tuple[str, ...]) -> None:
        name = name_of(manifest)
        node = RenderedAppSet(name=name, manifest=manifest, file=file, parent=parent)
        self.tree.appsets.append(node)
        namespace = appsets.appset_namespace(manifest, self.config.argocd_namespace)
        try:
            expansion = appsets.expand(manifest, self._gen_ctx(file), namespace)
        except ArgoplaneError as exc:
            node.messages.append(Message("error", str(exc)))
            return
        node.params = expansion.params
        node.messages += [Message("error", e) for e in expansion.errors]
        node.messages += [Message("warning", w) for w in expansion.warnings]
        for app in expansion.applications:
            node.applications.append(name_of(app))
            self._visit_app(app, None, parent=parent, generated_by=name, depth=depth + 1,
                            stack=stack)

    def _visit_app(self, manifest: dict[str, Any], file: str | None, *, parent: str | None,
                   generated_by: str | None, depth: int, stack: tuple[str, ...]) -> None:
        name = name_of(manifest)
        app = RenderedApp(name=name, manifest=manifest, file=file, parent=parent,
                          generated_by=generated_by)
        self.tree.apps.append(app)
        if self.options.on_app is not None:
            self.options.on_app(name)
        if name in stack:
            app.add("error", "App-of-Apps cycle: " + " -> ".join([*stack, name]))
            return
        if depth > MAX_DEPTH:
            app.add("error", f"App-of-Apps nesting deeper than {MAX_DEPTH} levels")
            return
        self._check_destination(app)
        sources = sources_of(manifest)
        if not sources:
            app.add("error", "the Application has no source (spec.source or spec.sources)")
            return
        refs = {f"${s['ref']}": self.snapshot.root for s in sources
                if s.get("ref") and self.snapshot.is_this_repo(str(s.get("repoURL") or ""))}
        objects: list[tuple[str, dict[str, Any]]] = []
        rendered = 0
        for source in sources:
            if source.get("ref") and not source.get("path") and not source.get("chart"):
                continue  # a values-only source
            try:
                objects += self.sources.render(manifest, source, refs,
                                               lambda t: app.add("warning", t))
                rendered += 1
            except Skipped as exc:
                app.skip(str(exc))
            except ArgoplaneError as exc:
                app.add("error", str(exc))
        if rendered and app.status == "skipped":
            app.status = "rendered"
        dest = Destination.of(manifest)
        for origin, obj in objects:
            set_app_instance(obj, name, method=self.config.tracking_method,
                             label_key=self.config.instance_label_key, namespace=dest.namespace)
            meta = metadata(obj)
            namespace = str(meta.get("namespace") or "")
            if not namespace and is_namespaced(api_group(obj), str(obj.get("kind", ""))):
                namespace = dest.namespace
            app.resources.append(Resource(obj, namespace, origin))
        for resource in app.resources:
            kind = argo_kind(resource.manifest)
            if kind == APP_PROJECT:
                self._project(resource.manifest, resource.origin)
            elif kind in (APPLICATION, APPLICATION_SET):
                if kind == APPLICATION and resource.name == name:
                    app.add("info", "the Application deploys its own manifest (self-managed)")
                    continue
                child = _without_tracking(resource.manifest)
                app.children.append(name_of(child))
                file = resource.origin if self._is_repo_file(resource.origin) else None
                self._visit(child, file, parent=name, depth=depth + 1, stack=(*stack, name))

    def _is_repo_file(self, origin: str) -> bool:
        try:
            return self.snapshot.resolve(origin).is_file()
        except ArgoplaneError:
            return False

    def _check_destination(self, app: RenderedApp) -> None:
        dest = Destination.of(app.manifest)
        if dest.name and dest.server:
            app.add("warning", "destination sets both name and server; Argo CD refuses it: "
                    f"application destination can't have both name and server defined: "
                    f"{dest.name} {dest.server}")
        elif dest.name and dest.name != IN_CLUSTER_NAME and not any(
                c.name == dest.name for c in self.clusters):
            app.add("warning", f"destination cluster {dest.name!r} is not known "
                    "(list it under clusters in .argoplane.yaml)")
        elif not dest.name and not dest.server:
            app.add("warning", "destination has neither server nor name")


def _without_tracking(manifest: dict[str, Any]) -> dict[str, Any]:
    """The child manifest as written, without the tracking metadata its parent added."""
    child = copy.deepcopy(manifest)
    annotations = (child.get("metadata") or {}).get("annotations")
    if isinstance(annotations, dict):
        annotations.pop("argocd.argoproj.io/tracking-id", None)
        if not annotations:
            del child["metadata"]["annotations"]
    return child


def render_repository(snapshot: Snapshot, options: RenderOptions | None = None) -> RenderedTree:
    return Renderer(snapshot, options).render()
