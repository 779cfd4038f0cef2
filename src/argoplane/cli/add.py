"""`argoplane add service|env|region`: grow the platform by one, every file that must follow."""

from __future__ import annotations

from pathlib import Path

import click

from argoplane.cli.init import (
    F,
    allow_dirty_option,
    dry_run_option,
    every_file_option,
    show_plan,
    write_plan,
)
from argoplane.core.errors import InputError
from argoplane.layout import git, grow
from argoplane.layout.repo import open_repo


def repo_option(f: F) -> F:
    return click.option("--repo", "repo", default=".", show_default=True,
                        type=click.Path(file_okay=False, path_type=Path),
                        help="The platform repository (or a folder inside it).")(f)


def _run(ctx: click.Context, title: str, result: grow.Grown, root: Path, *, dry_run: bool,
         every_file: bool) -> int:
    show_plan(ctx, f"{title} ({root}):", result.plan, every_file=every_file)
    write_plan(ctx, result.plan, dry_run=dry_run)
    return 0


@click.group()
def add() -> None:
    """Add a service, an environment or a region to the platform.

    Each updates platform.yaml (keeping its comments) and every file that must follow:
    new charts and value files, ApplicationSet elements, AppProjects, clusters.
    """


@add.command("service")
@click.argument("name")
@click.option("--group", metavar="G", help="The service group (default: the only one).")
@click.option("--image", metavar="REPO", help="Image repository (default: <registry>/NAME).")
@click.option("--port", type=int, metavar="N", help="Container port (default 8080).")
@click.option("--tag", metavar="TAG", help="Initial image tag (default 0.1.0).")
@repo_option
@dry_run_option
@allow_dirty_option
@every_file_option
@click.pass_context
def add_service(ctx: click.Context, name: str, group: str | None, image: str | None,
                port: int | None, tag: str | None, repo: Path, dry_run: bool,
                allow_dirty: bool, every_file: bool) -> int:
    """Add service NAME: its chart, ApplicationSet and environment files."""
    found = open_repo(repo)
    if not dry_run:
        git.ensure_clean(found.root, allow_dirty)
    result = grow.add_service(found, name, group=group, image=image, port=port, tag=tag)
    return _run(ctx, f"add service {name}", result, found.root, dry_run=dry_run,
                every_file=every_file)


@add.command("env")
@click.argument("name")
@click.option("--short", metavar="S", help="Short name for namespaces and projects "
              "(default: NAME).")
@click.option("--production", is_flag=True, help="A production environment: one AppProject "
              "per region.")
@click.option("--before", metavar="ENV", help="Place it before ENV in promotion order "
              "(default: before the first production environment, or last).")
@click.option("--region", "regions", multiple=True, metavar="R",
              help="Only these regions (repeatable; default: all).")
@repo_option
@dry_run_option
@allow_dirty_option
@every_file_option
@click.pass_context
def add_env(ctx: click.Context, name: str, short: str | None, production: bool,
            before: str | None, regions: tuple[str, ...], repo: Path, dry_run: bool,
            allow_dirty: bool, every_file: bool) -> int:
    """Add environment NAME to every service."""
    found = open_repo(repo)
    if not dry_run:
        git.ensure_clean(found.root, allow_dirty)
    result = grow.add_environment(found, name, short=short, production=production,
                                  before=before, regions=regions)
    return _run(ctx, f"add env {name}", result, found.root, dry_run=dry_run,
                every_file=every_file)


def _servers(values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if not sep or not name or not url:
            raise InputError(f"--server {value}: expected CLUSTER=URL")
        out[name] = url
    return out


@add.command("region")
@click.argument("name")
@click.option("--env", "envs", multiple=True, metavar="E",
              help="Only in these environments (repeatable; default: all).")
@click.option("--server", "servers", multiple=True, metavar="CLUSTER=URL",
              help="A new cluster the region deploys to, with its API server (repeatable).")
@repo_option
@dry_run_option
@allow_dirty_option
@every_file_option
@click.pass_context
def add_region(ctx: click.Context, name: str, envs: tuple[str, ...], servers: tuple[str, ...],
               repo: Path, dry_run: bool, allow_dirty: bool, every_file: bool) -> int:
    """Add region NAME to the environments (and so to every service)."""
    found = open_repo(repo)
    if not dry_run:
        git.ensure_clean(found.root, allow_dirty)
    result = grow.add_region(found, name, envs=envs, servers=_servers(servers))
    return _run(ctx, f"add region {name}", result, found.root, dry_run=dry_run,
                every_file=every_file)
