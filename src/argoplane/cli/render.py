"""`argoplane render`: what Argo CD would generate and deploy from a checkout."""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from argoplane.cli.options import console, load_clusters, root_paths
from argoplane.core.errors import ExitCode, InputError
from argoplane.core.snapshot import Snapshot
from argoplane.diff.revisions import revision_options
from argoplane.render.cache import RenderCache, cache_folder
from argoplane.render.helm.backends import BinaryBackend, HelmBackend, SdkBackend
from argoplane.render.helm.pool import HelmPool, default_workers
from argoplane.render.model import RenderedApp, RenderedTree
from argoplane.render.tree import RenderOptions, render_repository
from argoplane.report.render_formats import tree_json, tree_yaml, write_out_dir
from argoplane.report.render_tree import build_tree, summary_line

F = TypeVar("F", bound=Callable[..., Any])


def jobs_option(f: F) -> F:
    return click.option(
        "-j", "--jobs", type=click.IntRange(min=1), metavar="N",
        help="Render Helm charts in N worker processes when there are many (default: one per "
             "core; 1 renders everything in this process).")(f)


def render_cache(backend: HelmBackend, folder: Path | None, jobs: int | None) -> RenderCache:
    """The render cache the commands render through, with worker processes unless `jobs` is 1."""
    workers = default_workers() if jobs is None else jobs
    return RenderCache(backend, folder, pool=HelmPool(workers) if workers > 1 else None,
                       background=True)


def _progress(ctx: click.Context):  # type: ignore[no-untyped-def]
    """A progress line on stderr for long renders on a terminal; None otherwise."""
    if not sys.stderr.isatty():
        return None, None
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(SpinnerColumn(), TextColumn("rendering {task.fields[app]}"),
                        TextColumn("[dim]{task.completed} apps"), TimeElapsedColumn(),
                        console=console(ctx, sys.stderr), transient=True)
    task = progress.add_task("render", total=None, app="")
    return progress, lambda name: progress.update(task, advance=1, app=name)


@click.command()
@click.argument("repo", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--root", "roots", multiple=True, metavar="PATH",
              help="Start from this manifest file or folder instead of the discovered roots "
                   "(repeatable).")
@click.option("--app", "app_glob", metavar="GLOB", help="Only show Applications whose name "
              "matches this glob.")
@click.option("--clusters", "clusters_file", metavar="FILE",
              help="Clusters Argo CD knows (YAML/JSON list, or cluster Secrets); overrides "
                   ".argoplane.yaml.")
@click.option("-o", "--output", type=click.Choice(["tree", "yaml", "json"]), default="tree",
              show_default=True, help="Output format.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write one folder per Application, one file per resource.")
@click.option("--helm-binary", metavar="PATH",
              help="Render charts with this helm v3 binary instead of the in-process engine.")
@click.option("--charts-dir", "charts_dirs", multiple=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Offline cache of charts from Helm repositories (<chart>-<version>.tgz).")
@click.option("--show-secrets", is_flag=True, help="Print Secret values instead of masking them.")
@click.option("--rev", metavar="REV", help="Render REPO as committed at this Git revision "
              "(branch, tag, commit) instead of the working tree.")
@click.option("--no-cache", is_flag=True,
              help="Do not read or write the render cache (.argoplane/cache).")
@jobs_option
@click.pass_context
def render(ctx: click.Context, repo: Path, roots: tuple[str, ...], app_glob: str | None,
           clusters_file: str | None, output: str, out_dir: Path | None,
           helm_binary: str | None, charts_dirs: tuple[Path, ...], show_secrets: bool,
           rev: str | None, no_cache: bool, jobs: int | None) -> int:
    """Render REPO (default: the current folder) as Argo CD would, with no cluster.

    Finds every Application, ApplicationSet and AppProject, starts from the roots (manifests
    no other Application deploys), expands ApplicationSets and App-of-Apps, and renders each
    Application's sources (Helm, Kustomize, plain manifests).

    Exit codes: 0 rendered; 2 bad input or an Application that failed to render.
    """
    snapshot = ctx.with_resource(Snapshot.at_revision(repo, rev)) if rev else Snapshot.open(repo)
    roots_in_repo = root_paths(roots, repo)
    helm: HelmBackend = BinaryBackend(helm_binary) if helm_binary else SdkBackend()
    cache = render_cache(helm, None if no_cache else cache_folder(repo.resolve(), os.environ),
                         jobs)
    ctx.call_on_close(cache.close)
    progress, on_app = _progress(ctx) if output != "tree" or sys.stdout.isatty() else (None, None)
    options = RenderOptions(roots=roots_in_repo, helm=cache, charts_dirs=list(charts_dirs),
                            clusters=load_clusters(clusters_file), on_app=on_app)
    options = revision_options(snapshot, options)
    if progress is not None:
        with progress:
            tree = render_repository(snapshot, options)
    else:
        tree = render_repository(snapshot, options)
    apps = _select(tree, app_glob)
    if app_glob and not apps:
        raise InputError(f"--app {app_glob}: no Application matches")
    if output == "json":
        sys.stdout.write(tree_json(tree, apps, show_secrets))
    elif output == "yaml":
        sys.stdout.write(tree_yaml(apps, show_secrets))
    else:
        out = console(ctx)
        title = _title(repo) + (f"  @ {snapshot.label}" if rev else "")
        out.print(build_tree(tree, title, apps))
        out.print(summary_line(tree, apps))
    if out_dir is not None:
        count = write_out_dir(out_dir, apps, show_secrets)
        click.echo(f"wrote {count} manifests to {out_dir}", err=True)
    return _report(tree, output)


def _title(repo: Path) -> str:
    name = repo.resolve().name
    return name if str(repo) in (".", name) else f"{name}  ({repo})"


def _select(tree: RenderedTree, app_glob: str | None) -> list[RenderedApp]:
    if not app_glob:
        return list(tree.apps)
    return [a for a in tree.apps if fnmatch.fnmatchcase(a.name, app_glob)]


def _report(tree: RenderedTree, output: str) -> int:
    """Errors go to stderr as one line each, whatever the output format."""
    sets = {s.name: s for s in tree.appsets}

    def where(app: RenderedApp) -> str:
        generator = sets.get(app.generated_by or "")
        file = app.file or (generator.file if generator is not None else None)
        return f"{file}: " if file else ""

    lines = [f"{where(a)}{a.name}: {m.text}" for a in tree.apps for m in a.messages
             if m.level == "error"]
    lines += [f"{s.file + ': ' if s.file else ''}ApplicationSet {s.name}: {m.text}"
              for s in tree.appsets for m in s.messages if m.level == "error"]
    lines += [m.text for m in tree.messages if m.level == "error"]
    for line in lines:
        click.echo(f"argoplane: error: {line}", err=True)
    return ExitCode.BAD_INPUT if lines else ExitCode.OK
