"""`argoplane lint`: what Argo CD would refuse, and what would hurt in production."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

import click

from argoplane.checks.engine import lint as lint_tree
from argoplane.checks.formats.json_format import json_report
from argoplane.checks.formats.junit import junit_report
from argoplane.checks.formats.sarif import sarif_report
from argoplane.checks.formats.text import explain_text, rules_text, text_report
from argoplane.checks.model import LEVELS, Level
from argoplane.checks.registry import RULES
from argoplane.checks.settings import load_settings
from argoplane.cli.options import console, load_clusters, root_paths
from argoplane.cli.render import jobs_option, render_cache
from argoplane.core.errors import ExitCode, InputError
from argoplane.core.snapshot import Snapshot
from argoplane.render.helm.backends import BinaryBackend, HelmBackend, SdkBackend
from argoplane.render.tree import RenderOptions, render_repository


def _rule_id(value: str) -> str:
    rule = value.strip().upper()
    if rule not in RULES:
        raise InputError(f"--explain {value}: no such rule (see `argoplane lint --list-rules`)")
    return rule


@click.command()
@click.argument("repo", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit"]),
              default="text", show_default=True, help="Output format.")
@click.option("--severity", type=click.Choice(LEVELS), default="info", show_default=True,
              help="Show findings at this level and above (the exit code still counts errors).")
@click.option("--explain", "explain", metavar="RULE",
              help="Explain a rule (what it means, how to fix it) and exit.")
@click.option("--list-rules", is_flag=True, help="List every rule with its default level and exit.")
@click.option("--root", "roots", multiple=True, metavar="PATH",
              help="Start from this manifest file or folder instead of the discovered roots "
                   "(repeatable).")
@click.option("--clusters", "clusters_file", metavar="FILE",
              help="Clusters Argo CD knows (YAML/JSON list, or cluster Secrets); overrides "
                   ".argoplane.yaml.")
@click.option("--charts-dir", "charts_dirs", multiple=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Offline cache of charts from Helm repositories (<chart>-<version>.tgz).")
@click.option("--helm-binary", metavar="PATH",
              help="Render charts with this helm v3 binary instead of the in-process engine.")
@click.option("--kube-version", metavar="VERSION",
              help="Kubernetes version whose schemas AP017 uses (default: lint.kubernetesVersion, "
                   "helm.kubeVersion, or 1.31).")
@jobs_option
@click.pass_context
def lint(ctx: click.Context, repo: Path, fmt: str, severity: str, explain: str | None,
         list_rules: bool, roots: tuple[str, ...], clusters_file: str | None,
         charts_dirs: tuple[Path, ...], helm_binary: str | None, kube_version: str | None,
         jobs: int | None) -> int:
    """Lint REPO (default: the current folder): render it as Argo CD would, then check every
    Application, AppProject and rendered resource against the rules (AP001...).

    Rules are configured in `.argoplane.yaml` under `lint:` (disable, level, ignore) and
    silenced on a manifest with the annotation `argoplane.io/ignore: AP010,AP014`.

    Exit codes: 0 no finding at error level; 1 findings at error level; 2 bad input.
    """
    if explain is not None:
        click.echo(explain_text(RULES[_rule_id(explain)]), nl=False)
        return ExitCode.OK
    if list_rules:
        click.echo(rules_text(list(RULES.values())), nl=False)
        return ExitCode.OK
    snapshot = Snapshot.open(repo)
    settings = load_settings(snapshot.config, RULES, kube_version)
    clusters = load_clusters(clusters_file)
    backend: HelmBackend = BinaryBackend(helm_binary) if helm_binary else SdkBackend()
    helm = render_cache(backend, None, jobs)
    options = RenderOptions(roots=root_paths(roots, repo), helm=helm,
                            charts_dirs=list(charts_dirs), clusters=clusters)
    try:
        tree = render_repository(snapshot, options)
    finally:
        helm.close()
    report, failed = lint_tree(
        tree, snapshot, settings, clusters=clusters if clusters is not None
        else snapshot.config.clusters, repo=str(repo), severity=cast(Level, severity))
    if fmt == "json":
        sys.stdout.write(json_report(report))
    elif fmt == "sarif":
        sys.stdout.write(sarif_report(report, snapshot.root.as_uri() + "/"))
    elif fmt == "junit":
        sys.stdout.write(junit_report(report))
    else:
        console(ctx).print(text_report(report))
    return ExitCode.FINDINGS if failed else ExitCode.OK
