"""AP007 and AP008: Helm value files that are missing, and paths that leave the repository."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from argoplane.argocd.objects import sources_of
from argoplane.checks.context import LintContext, source_path
from argoplane.checks.model import Hit, Rule
from argoplane.core.errors import ArgoplaneError, PathEscapeError, RenderError
from argoplane.render.helm.source import argocd_env
from argoplane.render.helm.values import ValueFile, resolve_value_files
from argoplane.render.model import RenderedApp
from argoplane.render.sources import source_type

MISSING, ESCAPE = "AP007", "AP008"


def ref_roots(ctx: LintContext, sources: list[Mapping[str, Any]]) -> dict[str, Path]:
    return {f"${s['ref']}": ctx.snapshot.root for s in sources
            if s.get("ref") and ctx.snapshot.is_this_repo(str(s.get("repoURL") or ""))}


def chart_folder(ctx: LintContext, source: Mapping[str, Any]) -> Path | None:
    """The repository folder of a local Helm source (None when it is not one, or unusable)."""
    if source.get("chart") or not ctx.snapshot.is_this_repo(str(source.get("repoURL") or "")):
        return None
    try:
        folder = ctx.snapshot.resolve(str(source.get("path") or ""))
        if not folder.is_dir() or source_type(source, folder) != "helm":
            return None
    except ArgoplaneError:
        return None
    return folder


def _path_escape(ctx: LintContext, source: Mapping[str, Any]) -> str | None:
    path = str(source.get("path") or "")
    if source.get("chart") or not path or not ctx.snapshot.is_this_repo(
            str(source.get("repoURL") or "")):
        return None
    norm = posixpath.normpath(path)
    if path.startswith("/") or norm == ".." or norm.startswith("../"):
        return f"source path {path!r} leaves the repository"
    try:
        ctx.snapshot.resolve(norm)
    except PathEscapeError:
        return f"source path {path!r} is a symlink that leads out of the repository"
    return None


def _resolve(entry: str, folder: Path, ctx: LintContext, app: RenderedApp,
             source: Mapping[str, Any], refs: Mapping[str, Path], ignore_missing: bool
             ) -> list[ValueFile]:
    return resolve_value_files(
        [entry], app_dir=folder, repo_root=ctx.snapshot.root, env=argocd_env(app.manifest, source),
        allowed_schemes=ctx.snapshot.config.values_file_schemes, ignore_missing=ignore_missing,
        refs=refs, realpaths=ctx.snapshot.realpaths)


def value_file_hits(ctx: LintContext, app: RenderedApp) -> list[tuple[str, Hit]]:
    """(rule id, hit) for every value file or path of an app that is missing or escapes."""
    key = ("value-files", id(app))
    if key in ctx.memo:
        return ctx.memo[key]  # type: ignore[no-any-return]
    out: list[tuple[str, Hit]] = []
    sources = sources_of(app.manifest)
    refs = ref_roots(ctx, sources)
    for i, source in enumerate(sources):
        where = source_path(app.manifest, i)
        escape = _path_escape(ctx, source)
        if escape is not None:
            site = ctx.app_site(app, (*where, "path"))
            out.append((ESCAPE, Hit(f"Application {app.name}: {escape}", app, site.file,
                                    site.line)))
            continue
        helm = source.get("helm")
        if not isinstance(helm, Mapping):
            continue
        folder = chart_folder(ctx, source)
        ignore_missing = bool(helm.get("ignoreMissingValueFiles"))
        entries = helm.get("valueFiles") if isinstance(helm.get("valueFiles"), list) else []
        for j, raw in enumerate(entries or []):
            entry = str(raw)
            if folder is None and not entry.startswith("$"):
                continue  # relative to a chart that is not in this repository
            site = ctx.app_site(app, (*where, "helm", "valueFiles", j))
            try:
                files = _resolve(entry, folder or ctx.snapshot.root, ctx, app, source, refs,
                                 ignore_missing)
            except PathEscapeError:
                text = (f"Application {app.name}: value file {entry!r} resolves outside the "
                        "repository")
                out.append((ESCAPE, Hit(text, app, site.file, site.line)))
                continue
            except RenderError as exc:
                if "matched no files" in str(exc):
                    text = f"Application {app.name}: value file glob {entry!r} matches no file"
                    out.append((MISSING, Hit(text, app, site.file, site.line)))
                continue
            for vf in files:
                if vf.missing and vf.path is not None:
                    shown = ctx.snapshot.relpath(vf.path) if ctx.snapshot.root in \
                        vf.path.parents else entry
                    text = f"Application {app.name}: value file {entry!r} does not exist ({shown})"
                    out.append((MISSING, Hit(text, app, site.file, site.line)))
        for j, param in enumerate(helm.get("fileParameters") or []):
            if not isinstance(param, Mapping) or folder is None:
                continue
            entry = str(param.get("path") or "")
            try:
                _resolve(entry, folder, ctx, app, source, refs, True)
            except PathEscapeError:
                site = ctx.app_site(app, (*where, "helm", "fileParameters", j, "path"))
                text = (f"Application {app.name}: helm.fileParameters path {entry!r} resolves "
                        "outside the repository")
                out.append((ESCAPE, Hit(text, app, site.file, site.line)))
            except RenderError:
                continue
    ctx.memo[key] = out
    return out


def _rule(rule_id: str) -> Any:
    def check(ctx: LintContext) -> Iterator[Hit]:
        for app in ctx.tree.apps:
            for found_id, hit in value_file_hits(ctx, app):
                if found_id == rule_id:
                    yield hit
    return check


RULES = [
    Rule(
        MISSING, "value-file-missing", "Helm value file missing", "error",
        """An Application lists a file under `helm.valueFiles` that does not exist (or a glob that
matches nothing), and `ignoreMissingValueFiles` is not set. Argo CD's repo-server fails to
generate manifests, so the Application shows a ComparisonError and nothing is synced. This often
happens when an ApplicationSet fans out to an environment or region that has no values file yet.

Fix: add the file, correct the path (paths are relative to the chart folder; a leading `/`
means the repository root), or set `helm.ignoreMissingValueFiles: true` when the file is
optional on purpose.""",
        _rule(MISSING),
    ),
    Rule(
        ESCAPE, "path-escapes-repository", "Value file or path escapes the repository", "error",
        """A source `path`, a Helm value file or a `fileParameters` path resolves outside the
repository, through `..` or a symbolic link. Argo CD refuses such paths ("resolved to outside
repository root"), since they would let an Application read other files of the repo-server.

Fix: keep charts, value files and manifests inside the repository; reference shared files with a
path from the repository root (`/common/values.yaml`) or a `$ref` multi-source.""",
        _rule(ESCAPE),
    ),
]
