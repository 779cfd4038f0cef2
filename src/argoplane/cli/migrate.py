"""`argoplane migrate`: move a one-Application-per-service repository to the reference layout,
phase by phase, with a proof that nothing deployed changes by accident."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from argoplane.cli.init import allow_dirty_option
from argoplane.cli.options import console
from argoplane.core.errors import ExitCode, InputError
from argoplane.layout.migrate.model import PHASES, GroupBy, Options, names
from argoplane.layout.migrate.report import lines, to_json
from argoplane.layout.migrate.run import migrate as run_migration
from argoplane.render.cache import RenderCache, cache_folder
from argoplane.render.helm.backends import SdkBackend
from argoplane.render.tree import RenderOptions


@click.command()
@click.argument("repo", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--phase", required=True, type=click.Choice([*PHASES, "all"]),
              help="The phase to plan (or apply); all runs every phase in this order.")
@click.option("--plan/--apply", "plan_only", default=True, show_default=True,
              help="Show the plan and the proof (default), or write the files when every "
                   "proof holds.")
@click.option("--envs", default="dev,staging,production", show_default=True, metavar="LIST",
              help="Environments, comma-separated; the first is the one deployed today.")
@click.option("--regions", default="", metavar="LIST",
              help="Regions for the regions phase, comma-separated; the first is where "
                   "today's deployments run.")
@allow_dirty_option
@click.option("--group-by", type=click.Choice(["all", "namespace", "service"]), default="all",
              show_default=True,
              help="One ApplicationSet for all services, one per namespace, or one per service.")
@click.option("--appset-name", default="services", show_default=True, metavar="NAME",
              help="The ApplicationSet's name with --group-by all.")
@click.option("--manual-sync", is_flag=True,
              help="Keep the services' sync policy instead of turning on automated sync.")
@click.option("--namespace-per-service", is_flag=True,
              help="Give each service a namespace named after it (an intended change the "
                   "proof lists).")
@click.option("--age", "age", multiple=True, metavar="RECIPIENT",
              help="age recipient for the secrets phase's SOPS files (repeatable; default: "
                   ".sops.yaml, else the --age-key-file identity's).")
@click.option("--age-key-file", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="age identity that decrypts them, for the proof.")
@click.option("--sealed", is_flag=True,
              help="Seal plain Secret manifests as SealedSecrets (they cannot be SOPS files).")
@click.option("--cert", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="The Sealed Secrets controller's certificate, with --sealed.")
@click.option("--cluster", metavar="NAME",
              help="Which certificate of secrets.sealedSecrets.certs to seal for.")
@click.option("--charts-dir", "charts_dirs", multiple=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Offline cache of charts from Helm repositories.")
@click.option("--diff", "with_diff", is_flag=True,
              help="Show the whole rendered diff of each phase, not its summary.")
@click.option("-o", "--output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.pass_context
def migrate(ctx: click.Context, repo: Path, phase: str, plan_only: bool, envs: str,
            regions: str, allow_dirty: bool, group_by: str, appset_name: str,
            manual_sync: bool, namespace_per_service: bool, age: tuple[str, ...],
            age_key_file: Path | None, sealed: bool, cert: Path | None, cluster: str | None,
            charts_dirs: tuple[Path, ...], with_diff: bool, output: str) -> int:
    """Move REPO (default: the current folder) from one Application per service to the
    reference layout, phase by phase.

    \b
    appsets       ApplicationSets replace the service Applications
    app-of-apps   root Applications deploy what is applied by hand
    environments  values.yaml + <env>/values.yaml + <env>/tag.yaml, one Application per env
    secrets       plaintext secrets become SOPS secrets:// files (or SealedSecrets)
    projects      AppProjects per environment instead of default
    regions       <env>/<region>.values.yaml, one Application per env x region

    After each phase the result is rendered and compared with the original for the
    environment deployed today: every resource must be identical except the changes the
    phase intends. --apply writes only when every proof holds.

    Exit codes: 0 planned or written; 1 a proof found unintended differences (nothing
    written); 2 bad input.
    """
    env_names = names(envs, "--envs")
    if not env_names:
        raise InputError("--envs: give at least one environment")
    names(appset_name, "--appset-name")
    options = Options(
        envs=env_names, regions=names(regions, "--regions"),
        group_by=_group(group_by), appset_name=appset_name, manual_sync=manual_sync,
        namespace_per_service=namespace_per_service, age=age, age_key_file=age_key_file,
        sealed=sealed, cert=cert, cluster=cluster)
    cache = RenderCache(SdkBackend(), cache_folder(repo.resolve(), os.environ))
    ctx.call_on_close(cache.close)
    render = RenderOptions(helm=cache, charts_dirs=list(charts_dirs))
    migration = run_migration(repo, phase, options, render, apply=not plan_only,
                              allow_dirty=allow_dirty)
    if output == "json":
        sys.stdout.write(to_json(migration))
    else:
        out = console(ctx)
        for text, style in lines(migration, with_diff=with_diff):
            out.print(text, style=style, markup=False, highlight=False)
    return ExitCode.OK if migration.ok else ExitCode.FINDINGS


def _group(value: str) -> GroupBy:
    if value == "namespace":
        return "namespace"
    if value == "service":
        return "service"
    return "all"
