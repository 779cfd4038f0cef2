"""The App-of-Apps walk: roots -> Applications -> resources, recursively, into a RenderedTree."""

from __future__ import annotations

import copy
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
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
from argoplane.render.decrypt_ahead import SopsAhead, sops_ahead
from argoplane.render.directory import DirectoryOptions, find_manifests
from argoplane.render.discover import Candidate, discover
from argoplane.render.helm.backends import HelmBackend, SdkBackend
from argoplane.render.helm.pool import default_workers
from argoplane.render.helm.request import HelmRequest
from argoplane.render.model import Message, RenderedApp, RenderedAppSet, RenderedTree, Resource
from argoplane.render.sources import (
    HelmPlan,
    Skipped,
    SourceRenderer,
    app_folder,
    check_app_path,
    source_type,
)
from argoplane.secrets.sops import key_sources
from argoplane.secrets.values import SecretValues

MAX_DEPTH = 10
PLAN_AHEAD = 128  # Helm sources planned ahead of the walk (their renders run meanwhile)


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
        # with a backend that renders ahead (workers), the Helm sources of the Applications
        # the walk is about to reach are planned first: (id(app), source index) -> plan
        helm = self.options.helm
        self._prefetch: Callable[[Sequence[HelmRequest], int], None] | None = getattr(
            helm, "prefetch", None)
        # Applications the walk will reach, in walk order, not planned yet
        self._ahead: deque[tuple[Mapping[str, Any], int, tuple[str, ...]]] = deque()
        self._plans: dict[tuple[int, int], tuple[Mapping[str, Any], HelmPlan]] = {}
        self._sops: SopsAhead | None = None
        self._expansions: dict[tuple[int, str | None, str],
                               tuple[Mapping[str, Any], appsets.Expansion | ArgoplaneError]] = {}

    # -- entry point -----------------------------------------------------------------------
    def render(self) -> RenderedTree:
        secrets = self.options.secrets or self._secret_values()
        with tempfile.TemporaryDirectory(prefix="argoplane-") as workspace:
            self.sources = SourceRenderer(
                self.snapshot, self.config, self.options.helm or SdkBackend(),
                Path(workspace), self.charts_dirs, secrets,
            )
            candidates, messages = discover(self.snapshot)
            self.tree.messages.extend(messages)
            expect = getattr(self.options.helm, "expect", None)
            if expect is not None:  # at least one render per Application(Set) found
                expect(sum(c.kind != APP_PROJECT for c in candidates))
            for c in candidates:
                if c.kind == APP_PROJECT:
                    self._project(c.manifest, c.file)
            roots = self._roots(candidates)
            self._lookahead([(c.manifest, c.file) for c in roots], depth=0, stack=())
            for c in roots:
                self.tree.roots.append(name_of(c.manifest))
                self._visit(c.manifest, c.file, parent=None, depth=0, stack=())
        if self._sops is not None:
            self._sops.close()
        self.tree.messages += [Message("info", text) for text in secrets.summary()]
        return self.tree

    def _secret_values(self) -> SecretValues:
        """The `secrets://` loader: keys from the environment and the configuration; when the
        walk plans ahead, sops runs for several files side by side."""
        keys = key_sources(self.snapshot.root, self.config.age_key_file, dict(os.environ))
        if self._prefetch is None or not keys.available():
            return SecretValues(self.snapshot.root, keys)
        self._sops = sops_ahead(self.snapshot.root, keys, threads=default_workers())
        return SecretValues(self.snapshot.root, keys, self._sops)

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
                    folder = app_folder(self.snapshot, rel)
                    if source_type(source, folder, self.snapshot.memo) != "directory":
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
        expansion = self._expand(manifest, file)
        if isinstance(expansion, ArgoplaneError):
            node.messages.append(Message("error", str(expansion)))
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
        refs = self._refs(sources)
        objects: list[tuple[str, dict[str, Any]]] = []
        rendered = 0
        for index, source in enumerate(sources):
            if source.get("ref") and not source.get("path") and not source.get("chart"):
                continue  # a values-only source
            if self._ahead:
                self._advance(manifest)
            planned = self._plans.pop((id(manifest), index), None)
            plan = planned[1] if planned is not None and planned[0] is manifest else None
            try:
                objects += self.sources.render(manifest, source, refs,
                                               lambda t: app.add("warning", t), plan)
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
        children: dict[int, tuple[dict[str, Any], str | None]] = {}
        for i, resource in enumerate(app.resources):
            kind = argo_kind(resource.manifest)
            if kind == APPLICATION_SET or (kind == APPLICATION and resource.name != name):
                file = resource.origin if self._is_repo_file(resource.origin) else None
                children[i] = (_without_tracking(resource.manifest), file)
        self._lookahead(children.values(), depth=depth + 1, stack=(*stack, name))
        for i, resource in enumerate(app.resources):
            kind = argo_kind(resource.manifest)
            if kind == APP_PROJECT:
                self._project(resource.manifest, resource.origin)
            elif kind == APPLICATION and resource.name == name:
                app.add("info", "the Application deploys its own manifest (self-managed)")
            elif i in children:
                child, file = children[i]
                app.children.append(name_of(child))
                self._visit(child, file, parent=name, depth=depth + 1, stack=(*stack, name))

    # -- rendering ahead -------------------------------------------------------------------
    def _expand(self, manifest: Mapping[str, Any], file: str | None
                ) -> appsets.Expansion | ArgoplaneError:
        """An ApplicationSet's expansion (or its error), worked out once."""
        namespace = appsets.appset_namespace(manifest, self.config.argocd_namespace)
        key = (id(manifest), file, namespace)
        known = self._expansions.get(key)
        if known is not None and known[0] is manifest:
            return known[1]
        try:
            result: appsets.Expansion | ArgoplaneError = appsets.expand(
                manifest, self._gen_ctx(file), namespace)
        except ArgoplaneError as exc:
            result = exc
        self._expansions[key] = (manifest, result)
        return result

    def _lookahead(self, manifests: Iterable[tuple[Mapping[str, Any], str | None]], *,
                   depth: int, stack: tuple[str, ...]) -> None:
        """Queue these Applications, and those their ApplicationSets generate, to be planned
        ahead of the walk (they are the next ones it visits, in this order)."""
        if self._prefetch is None:
            return
        queued: list[tuple[Mapping[str, Any], int, tuple[str, ...]]] = []
        for manifest, file in manifests:
            kind = argo_kind(manifest)
            if kind == APPLICATION:
                queued.append((manifest, depth, stack))
            elif kind == APPLICATION_SET:
                expansion = self._expand(manifest, file)
                if not isinstance(expansion, ArgoplaneError):
                    queued += [(app, depth + 1, stack) for app in expansion.applications]
        self._ahead.extendleft(reversed(queued))

    def _advance(self, manifest: Mapping[str, Any]) -> None:
        """Plan the Application the walk is at, if queued, and enough of the following ones
        that the backend's workers are always busy; hand their renders to the backend."""
        assert self._prefetch is not None
        batch: list[tuple[Mapping[str, Any], int, tuple[str, ...]]] = []
        if self._ahead[0][0] is manifest:
            batch.append(self._ahead.popleft())
        while self._ahead and len(self._plans) + len(batch) < PLAN_AHEAD:
            batch.append(self._ahead.popleft())
        if self._sops is not None:
            self._sops.start([f for app, depth, stack in batch if self._renders(app, depth, stack)
                              for f in self._encrypted_files(app)])
        requests: list[HelmRequest] = []
        for app, depth, stack in batch:
            requests += self._plan(app, depth=depth, stack=stack)
        if requests:
            self._prefetch(requests, len(self._ahead))

    @staticmethod
    def _renders(manifest: Mapping[str, Any], depth: int, stack: tuple[str, ...]) -> bool:
        """Whether the walk renders this Application's sources (no cycle, not too deep)."""
        return name_of(manifest) not in stack and depth <= MAX_DEPTH

    def _encrypted_files(self, manifest: Mapping[str, Any]) -> list[tuple[Path, list[str]]]:
        sources = sources_of(manifest)
        refs = self._refs(sources)
        return [f for source in sources for f in self.sources.encrypted_files(manifest, source,
                                                                              refs)]

    def _plan(self, manifest: Mapping[str, Any], *, depth: int, stack: tuple[str, ...]
              ) -> list[HelmRequest]:
        """Plans for the Helm sources the walk will render for this Application."""
        if not self._renders(manifest, depth, stack):
            return []
        sources = sources_of(manifest)
        refs = self._refs(sources)
        requests: list[HelmRequest] = []
        for index, source in enumerate(sources):
            if source.get("ref") and not source.get("path") and not source.get("chart"):
                continue
            plan = self.sources.plan(manifest, source, refs)
            if plan is None:
                continue
            self._plans[(id(manifest), index)] = (manifest, plan)
            if plan.call is not None:
                requests.append(plan.call.request)
        return requests

    def _refs(self, sources: Sequence[Mapping[str, Any]]) -> dict[str, Path]:
        return {f"${s['ref']}": self.snapshot.root for s in sources
                if s.get("ref") and self.snapshot.is_this_repo(str(s.get("repoURL") or ""))}

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
