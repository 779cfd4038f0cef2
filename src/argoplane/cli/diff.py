"""`argoplane diff`: what changes in what Argo CD deploys between two revisions."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from argoplane.cli.options import console, load_clusters
from argoplane.cli.render import jobs_option, render_cache
from argoplane.core.errors import ExitCode, InputError
from argoplane.diff.compare import DiffOptions
from argoplane.diff.revisions import diff_revisions, parse_revisions
from argoplane.render.cache import cache_folder
from argoplane.render.helm.backends import BinaryBackend, HelmBackend, SdkBackend
from argoplane.render.tree import RenderOptions
from argoplane.report.diff_json import diff_json
from argoplane.report.diff_markdown import DEFAULT_MAX_CHARS, diff_markdown
from argoplane.report.diff_text import diff_rich


@click.command()
@click.argument("base")
@click.argument("head", required=False)
@click.option("--repo", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="The Git checkout (or a folder inside it) to compare.")
@click.option("-o", "--output", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="Output format (markdown: a merge request comment).")
@click.option("--exit-code", is_flag=True,
              help="Exit with 1 when there are differences, 0 when there are none.")
@click.option("--app", "app_glob", metavar="GLOB",
              help="Only show Applications whose name matches this glob.")
@click.option("--context", "-U", "context", type=click.IntRange(min=0), default=3,
              show_default=True, metavar="N", help="Lines of context around each change.")
@click.option("--show-secrets", is_flag=True,
              help="Show Secret values in diffs instead of masking them.")
@click.option("--max-size", type=click.IntRange(min=1000), default=DEFAULT_MAX_CHARS,
              show_default=True, metavar="CHARS",
              help="Markdown only: cut the largest diffs so the comment stays this short.")
@click.option("--clusters", "clusters_file", metavar="FILE",
              help="Clusters Argo CD knows (YAML/JSON list, or cluster Secrets); overrides "
                   ".argoplane.yaml.")
@click.option("--helm-binary", metavar="PATH",
              help="Render charts with this helm v3 binary instead of the in-process engine.")
@click.option("--charts-dir", "charts_dirs", multiple=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Offline cache of charts from Helm repositories (<chart>-<version>.tgz).")
@click.option("--no-cache", is_flag=True,
              help="Do not read or write the render cache (.argoplane/cache).")
@jobs_option
@click.pass_context
def diff(ctx: click.Context, base: str, head: str | None, repo: Path, output: str,
         exit_code: bool, app_glob: str | None, context: int, show_secrets: bool,
         max_size: int, clusters_file: str | None, helm_binary: str | None,
         charts_dirs: tuple[Path, ...], no_cache: bool, jobs: int | None) -> int:
    """Show what changes in what Argo CD deploys from BASE to HEAD.

    BASE and HEAD are Git revisions of the checkout (branches, tags, commits, HEAD~1);
    HEAD defaults to the working tree. `A..B` and `A...B` (from where B forked off A) work
    as in git. Both sides are rendered offline, as `argoplane render` does, and compared:
    Applications added, removed and changed, and for each one every resource added,
    removed, modified or moved, as a YAML diff. Secret values are masked.

    Exit codes: 0 done (no differences with --exit-code); 1 differences with --exit-code;
    2 bad input, or an Application in HEAD that failed to render.
    """
    revisions = parse_revisions(repo, base, head)
    backend: HelmBackend = BinaryBackend(helm_binary) if helm_binary else SdkBackend()
    folder = None if no_cache else cache_folder(repo.resolve(), os.environ)
    helm = render_cache(backend, folder, jobs)
    options = RenderOptions(helm=helm, charts_dirs=list(charts_dirs),
                            clusters=load_clusters(clusters_file))
    try:
        result = diff_revisions(repo, revisions, options, DiffOptions(
            context=context, show_secrets=show_secrets, app_glob=app_glob))
    finally:
        helm.close()
    if app_glob and not result.apps and not result.unchanged:
        raise InputError(f"--app {app_glob}: no Application matches")
    if output == "json":
        sys.stdout.write(diff_json(result))
    elif output == "markdown":
        sys.stdout.write(diff_markdown(result, max_size))
    else:
        console(ctx).print(diff_rich(result), end="")
    for line in result.base_errors:
        click.echo(f"argoplane: warning: {result.base.label}: {line}", err=True)
    for line in result.head_errors:
        click.echo(f"argoplane: error: {line}", err=True)
    if result.head_errors:
        return ExitCode.BAD_INPUT
    return ExitCode.FINDINGS if exit_code and result.changed else ExitCode.OK
