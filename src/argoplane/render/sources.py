"""Render one Application source into Kubernetes objects, choosing the tool as Argo CD does."""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from argoplane.core.config import Config
from argoplane.core.errors import ArgoplaneError, RenderError
from argoplane.core.snapshot import Snapshot
from argoplane.render import kustomize
from argoplane.render.directory import DirectoryOptions, expand_lists, find_manifests
from argoplane.render.helm.backends import HelmBackend
from argoplane.render.helm.request import HelmRequest
from argoplane.render.helm.source import (
    SecretsLoader,
    argocd_env,
    find_cached_chart,
    helm_request,
    prepare_chart,
)
from argoplane.render.helm.values import resolve_value_files
from argoplane.secrets import sopsfile

Objects = list[tuple[str, dict[str, Any]]]  # (origin, object)


class Skipped(Exception):
    """The source cannot be rendered offline; the reason is shown, nothing is guessed."""


def check_app_path(snapshot: Snapshot, path: str) -> str:
    """Argo CD's app path rules; returns the repo-relative path ('' for the root)."""
    key = ("app path", path)
    known = snapshot.memo.get(key)
    if known is None:
        known = snapshot.memo[key] = _check_app_path(snapshot, path)
    return str(known)


def app_folder(snapshot: Snapshot, rel: str) -> Path:
    """The real folder of a checked app path (worked out once per run)."""
    key = ("app folder", rel)
    known = snapshot.memo.get(key)
    if known is None:
        known = snapshot.memo[key] = snapshot.resolve(rel)
    return Path(known)


def _check_app_path(snapshot: Snapshot, path: str) -> str:
    if path.startswith("/"):
        raise RenderError(f"{path}: app path is absolute")
    norm = posixpath.normpath(path) if path else "."
    if norm == ".." or norm.startswith("../"):
        raise RenderError(f"{path}: app path outside root")
    rel = "" if norm == "." else norm
    real = snapshot.resolve(rel)
    if not real.exists():
        raise RenderError(f"{path}: app path does not exist")
    if not real.is_dir():
        raise RenderError(f"{path}: app path is not a directory")
    return rel


def _is_zero(block: Any, *, keep: tuple[str, ...] = ()) -> bool:
    """An all-default tool block, which Argo CD's NormalizeApplicationSpec removes."""
    if not isinstance(block, Mapping):
        return block is None
    for key, value in block.items():
        if key in keep:
            if value is not None:
                return False
        elif isinstance(value, Mapping):
            if not _is_zero(value):
                return False
        elif value:
            return False
    return True


def _explicit_types(source: Mapping[str, Any]) -> list[str]:
    """Tool blocks that survive normalization, in Argo CD's order (ExplicitType)."""
    types: list[str] = []
    if source.get("kustomize") is not None and not _is_zero(source["kustomize"]):
        types.append("kustomize")
    if source.get("helm") is not None and not _is_zero(source["helm"], keep=("valuesObject",)):
        types.append("helm")
    directory = source.get("directory")
    if isinstance(directory, Mapping) and (
        not _is_zero({k: v for k, v in directory.items() if k in ("recurse", "jsonnet")})
        or directory.get("include") or directory.get("exclude")
    ):
        types.append("directory")  # include/exclude alone keep the block
    if source.get("plugin") is not None:
        types.append("plugin")
    return types


def source_type(source: Mapping[str, Any], folder: Path,
                memo: dict[Any, Any] | None = None) -> str:
    """helm | kustomize | directory | plugin: explicit blocks first, then what the folder holds.

    All-default `helm`, `kustomize` and `directory` blocks do not count: the API server and
    the ApplicationSet controller normalize them away before the repo-server sees the source.
    `memo` keeps what each folder holds for a run.
    """
    if source.get("chart"):
        return "helm"
    explicit = _explicit_types(source)
    if len(explicit) > 1:
        raise RenderError("multiple application sources defined: "
                          + ",".join(t.capitalize() for t in explicit))
    if explicit:
        return explicit[0]
    if memo is None:
        return _detected(folder)
    key = ("source type", folder)
    known = memo.get(key)
    if known is None:
        known = memo[key] = _detected(folder)
    return str(known)


def _detected(folder: Path) -> str:
    try:
        names = sorted(p.name for p in folder.iterdir() if p.is_file())
    except OSError:
        names = []
    detected = "directory"
    for name in names:  # the lexically later file wins when both kinds are present
        if name.endswith("Chart.yaml"):
            detected = "helm"
        elif name in kustomize.KUSTOMIZATION_FILES:
            detected = "kustomize"
    return detected


@dataclass(frozen=True)
class HelmCall:
    """A Helm render to make, and how its templates' names become repository paths."""

    request: HelmRequest
    prefix: str  # the source path (a chart of this repository) or the chart's name
    remote: bool = False

    def origins(self, rendered: Objects) -> Objects:
        if self.remote:
            return [(f"{self.prefix}/{o.split('/', 1)[-1]}", obj) for o, obj in rendered]
        return [(posixpath.join(self.prefix, origin.split("/", 1)[1]) if "/" in origin
                 else origin, o) for origin, o in rendered]


@dataclass(frozen=True)
class HelmPlan:
    """A Helm source worked out ahead of the walk: the call to make, or the error to report,
    and the warnings to give (in order) when the walk gets to it."""

    call: HelmCall | None
    warnings: tuple[str, ...] = ()
    error: Exception | None = None


@dataclass
class SourceRenderer:
    snapshot: Snapshot
    config: Config
    helm: HelmBackend
    workspace: Path
    charts_dirs: list[Path]
    secrets: SecretsLoader | None = None  # secrets:// value files (decrypted in memory)
    _prepared: dict[Path, Path] = field(default_factory=dict, repr=False)

    def render(
        self,
        app: Mapping[str, Any],
        source: Mapping[str, Any],
        refs: Mapping[str, Path],
        warn: Callable[[str], None],
        plan: HelmPlan | None = None,
    ) -> Objects:
        """The objects of one source; `plan` is what `plan()` gave for it, if anything."""
        if plan is None:
            plan = self.plan(app, source, refs)
        if plan is None:
            return self._manifests(source, warn)
        for text in plan.warnings:
            warn(text)
        if plan.error is not None:
            raise plan.error
        assert plan.call is not None
        return plan.call.origins(self.helm.render(plan.call.request))

    def plan(self, app: Mapping[str, Any], source: Mapping[str, Any],
             refs: Mapping[str, Path]) -> HelmPlan | None:
        """The Helm render a source needs, with its warnings, or the error it ends in; None
        when the source is not rendered by Helm. Nothing is rendered yet."""
        warnings: list[str] = []
        try:
            if source.get("chart"):
                call = self._remote_chart(app, source, warnings.append)
            else:
                rel, folder, kind = self._locate(source)
                if kind != "helm":
                    return None
                call = self._local_chart(app, source, refs, rel, folder, warnings.append)
        except (Skipped, ArgoplaneError) as exc:
            return HelmPlan(None, tuple(warnings), exc)
        return HelmPlan(call, tuple(warnings))

    def encrypted_files(self, app: Mapping[str, Any], source: Mapping[str, Any],
                        refs: Mapping[str, Path]) -> list[tuple[Path, list[str]]]:
        """The SOPS-encrypted `secrets://` value files a Helm source of this repository reads
        (with their age recipients), as far as they can be told before planning it."""
        helm = source.get("helm")
        if source.get("chart") or not isinstance(helm, Mapping):
            return []
        entries = helm.get("valueFiles")
        if not isinstance(entries, list):
            return []
        try:
            _rel, folder, kind = self._locate(source)
            if kind != "helm":
                return []
            files = resolve_value_files(
                [str(e) for e in entries], app_dir=folder, repo_root=self.snapshot.root,
                env=argocd_env(app, source), allowed_schemes=self.config.values_file_schemes,
                ignore_missing=bool(helm.get("ignoreMissingValueFiles")), refs=refs,
                realpaths=self.snapshot.realpaths)
        except (Skipped, ArgoplaneError):
            return []
        out: list[tuple[Path, list[str]]] = []
        for vf in files:
            if vf.path is None or vf.missing or not vf.entry.startswith("secrets://"):
                continue
            try:
                text = vf.path.read_text(encoding="utf-8")
                data = self.snapshot.parsed.load(text, str(vf.path))
            except (OSError, UnicodeDecodeError, ArgoplaneError):
                continue
            if sopsfile.is_encrypted(data):
                out.append((vf.path, sopsfile.age_recipients(data)))
        return out

    def _locate(self, source: Mapping[str, Any]) -> tuple[str, Path, str]:
        """A source of this repository: its path, folder and tool, as Argo CD decides them."""
        repo_url = str(source.get("repoURL") or "")
        if not repo_url:
            raise RenderError("source has no repoURL")
        if not self.snapshot.is_this_repo(repo_url):
            raise Skipped(f"source repository {repo_url} is not this checkout "
                          "(add it to repoURLs in .argoplane.yaml if it is)")
        rel = check_app_path(self.snapshot, str(source.get("path") or ""))
        folder = app_folder(self.snapshot, rel)
        kind = source_type(source, folder, self.snapshot.memo)
        if kind == "plugin":
            raise Skipped("config management plugins cannot be run offline")
        return rel, folder, kind

    def _manifests(self, source: Mapping[str, Any], warn: Callable[[str], None]) -> Objects:
        """A directory or kustomize source of this repository."""
        rel, folder, kind = self._locate(source)
        if kind == "directory":
            options = DirectoryOptions.of(source.get("directory"))
            found, unsupported = find_manifests(self.snapshot, rel, options)
            for file in unsupported:
                raise RenderError(f"{file}: jsonnet is not supported by argoplane yet")
            return [(f.file, o) for f in found
                    for o in expand_lists([copy.deepcopy(f.manifest)])]
        argv = kustomize.kustomize_command()
        if argv is None:
            raise Skipped("kustomize source: neither `kustomize` nor `kubectl` is on PATH")
        if source.get("kustomize"):
            warn("kustomize options in the Application (images, namePrefix, ...) "
                 "are not applied yet")
        objs = kustomize.build(folder, self.snapshot.root, argv)
        return [(f"{rel}/kustomization.yaml", o) for o in expand_lists(objs)]

    def _prepare(self, folder: Path, repo_root: Path) -> Path:
        chart_dir = self._prepared.get(folder)
        if chart_dir is None:
            chart_dir = self._prepared[folder] = prepare_chart(folder, repo_root, self.workspace)
        return chart_dir

    def _local_chart(self, app: Mapping[str, Any], source: Mapping[str, Any],
                     refs: Mapping[str, Path], rel: str, folder: Path,
                     warn: Callable[[str], None]) -> HelmCall:
        chart_dir = self._prepare(folder, self.snapshot.root)
        request = helm_request(
            app, source, chart_dir=folder, repo_root=self.snapshot.root, config=self.config,
            warn=warn, refs=refs, label=self._label, secrets=self.secrets,
            parsed=self.snapshot.parsed, realpaths=self.snapshot.realpaths,
        )
        if chart_dir != folder:
            request = replace(request, chart_dir=chart_dir)
        return HelmCall(request, rel)

    def _label(self, path: Path) -> str:
        try:
            return self.snapshot.relpath(path)
        except ValueError:
            return str(path)

    def _remote_chart(
        self, app: Mapping[str, Any], source: Mapping[str, Any], warn: Callable[[str], None]
    ) -> HelmCall:
        chart = str(source["chart"])
        version = str(source.get("targetRevision") or "")
        repo = str(source.get("repoURL") or "")
        found = find_cached_chart(chart, version, self.charts_dirs, self.workspace)
        if found is None:
            where = ", ".join(self._label(d) for d in self.charts_dirs) or "none configured"
            raise Skipped(f"chart {chart} {version} from {repo} is not in the offline chart "
                          f"cache ({where}); add {chart}-{version}.tgz there to render it")
        chart_dir = self._prepare(found, found)
        request = helm_request(app, source, chart_dir=found, repo_root=found,
                               config=self.config, warn=warn, label=self._label,
                               secrets=self.secrets, parsed=self.snapshot.parsed)
        if chart_dir != found:
            request = replace(request, chart_dir=chart_dir)
        return HelmCall(request, chart, remote=True)
