"""Render one Application source into Kubernetes objects, choosing the tool as Argo CD does."""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argoplane.core.config import Config
from argoplane.core.errors import RenderError
from argoplane.core.snapshot import Snapshot
from argoplane.render import kustomize
from argoplane.render.directory import DirectoryOptions, expand_lists, find_manifests
from argoplane.render.helm.backends import HelmBackend
from argoplane.render.helm.source import (
    SecretsLoader,
    find_cached_chart,
    helm_request,
    prepare_chart,
)

Objects = list[tuple[str, dict[str, Any]]]  # (origin, object)


class Skipped(Exception):
    """The source cannot be rendered offline; the reason is shown, nothing is guessed."""


def check_app_path(snapshot: Snapshot, path: str) -> str:
    """Argo CD's app path rules; returns the repo-relative path ('' for the root)."""
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


def source_type(source: Mapping[str, Any], folder: Path) -> str:
    """helm | kustomize | directory | plugin: explicit blocks first, then what the folder holds.

    All-default `helm`, `kustomize` and `directory` blocks do not count: the API server and
    the ApplicationSet controller normalize them away before the repo-server sees the source.
    """
    if source.get("chart"):
        return "helm"
    explicit = _explicit_types(source)
    if len(explicit) > 1:
        raise RenderError("multiple application sources defined: "
                          + ",".join(t.capitalize() for t in explicit))
    if explicit:
        return explicit[0]
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


@dataclass
class SourceRenderer:
    snapshot: Snapshot
    config: Config
    helm: HelmBackend
    workspace: Path
    charts_dirs: list[Path]
    secrets: SecretsLoader | None = None  # secrets:// value files (decrypted in memory)

    def render(
        self,
        app: Mapping[str, Any],
        source: Mapping[str, Any],
        refs: Mapping[str, Path],
        warn: Callable[[str], None],
    ) -> Objects:
        repo_url = str(source.get("repoURL") or "")
        if source.get("chart"):
            return self._remote_chart(app, source, warn)
        if not repo_url:
            raise RenderError("source has no repoURL")
        if not self.snapshot.is_this_repo(repo_url):
            raise Skipped(f"source repository {repo_url} is not this checkout "
                          "(add it to repoURLs in .argoplane.yaml if it is)")
        rel = check_app_path(self.snapshot, str(source.get("path") or ""))
        folder = self.snapshot.resolve(rel)
        kind = source_type(source, folder)
        if kind == "plugin":
            raise Skipped("config management plugins cannot be run offline")
        if kind == "directory":
            options = DirectoryOptions.of(source.get("directory"))
            found, unsupported = find_manifests(self.snapshot, rel, options)
            for file in unsupported:
                raise RenderError(f"{file}: jsonnet is not supported by argoplane yet")
            return [(f.file, o) for f in found
                    for o in expand_lists([copy.deepcopy(f.manifest)])]
        if kind == "kustomize":
            argv = kustomize.kustomize_command()
            if argv is None:
                raise Skipped("kustomize source: neither `kustomize` nor `kubectl` is on PATH")
            if source.get("kustomize"):
                warn("kustomize options in the Application (images, namePrefix, ...) "
                     "are not applied yet")
            objs = kustomize.build(folder, self.snapshot.root, argv)
            return [(f"{rel}/kustomization.yaml", o) for o in expand_lists(objs)]
        chart_dir = prepare_chart(folder, self.snapshot.root, self.workspace)
        request = helm_request(
            app, source, chart_dir=folder, repo_root=self.snapshot.root, config=self.config,
            warn=warn, refs=refs, label=self._label, secrets=self.secrets,
        )
        if chart_dir != folder:
            request = _with_chart(request, chart_dir)
        objects = self.helm.render(request)
        return [(posixpath.join(rel, origin.split("/", 1)[1]) if "/" in origin else origin, o)
                for origin, o in objects]

    def _label(self, path: Path) -> str:
        try:
            return self.snapshot.relpath(path)
        except ValueError:
            return str(path)

    def _remote_chart(
        self, app: Mapping[str, Any], source: Mapping[str, Any], warn: Callable[[str], None]
    ) -> Objects:
        chart = str(source["chart"])
        version = str(source.get("targetRevision") or "")
        repo = str(source.get("repoURL") or "")
        found = find_cached_chart(chart, version, self.charts_dirs, self.workspace)
        if found is None:
            where = ", ".join(self._label(d) for d in self.charts_dirs) or "none configured"
            raise Skipped(f"chart {chart} {version} from {repo} is not in the offline chart "
                          f"cache ({where}); add {chart}-{version}.tgz there to render it")
        chart_dir = prepare_chart(found, found, self.workspace)
        request = helm_request(app, source, chart_dir=found, repo_root=found,
                               config=self.config, warn=warn, label=self._label,
                               secrets=self.secrets)
        if chart_dir != found:
            request = _with_chart(request, chart_dir)
        return [(f"{chart}/{o.split('/', 1)[-1]}", obj) for o, obj in self.helm.render(request)]


def _with_chart(request: Any, chart_dir: Path) -> Any:
    from dataclasses import replace

    return replace(request, chart_dir=chart_dir)
