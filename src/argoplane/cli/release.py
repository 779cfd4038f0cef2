"""`argoplane set-image` and `argoplane promote`: move image tags through environments."""

from __future__ import annotations

from pathlib import Path

import click

from argoplane.cli.add import repo_option
from argoplane.cli.init import F, allow_dirty_option, dry_run_option, show_plan, write_plan
from argoplane.cli.options import console
from argoplane.core.errors import InputError
from argoplane.layout import git
from argoplane.layout.repo import PlatformRepo, open_repo
from argoplane.release import plan as release
from argoplane.release.plan import ReleasePlan


def commit_option(f: F) -> F:
    return click.option("--commit", is_flag=True,
                        help="Commit the change (one commit listing each move).")(f)


def _finish(ctx: click.Context, result: ReleasePlan, root: Path, *, dry_run: bool,
            commit: bool) -> int:
    show_plan(ctx, f"{result.title} ({root}):", result.plan)
    for move in result.moves:
        console(ctx).print(f"  > {move.text()}", markup=False)
    written = write_plan(ctx, result.plan, dry_run=dry_run)
    if commit and written:
        sha = git.commit(root, written, result.commit_message())
        console(ctx).print(f"Committed {sha}: {result.title}", markup=False)
    return 0


def _prepare(repo: Path, dry_run: bool, allow_dirty: bool, commit: bool) -> PlatformRepo:
    found = open_repo(repo)
    if commit and dry_run:
        raise InputError("--commit and --dry-run do not go together")
    if commit and git.work_tree(found.root) is None:
        raise InputError(f"{found.root}: --commit needs a Git repository")
    if not dry_run:
        git.ensure_clean(found.root, allow_dirty)
    return found


@click.command("set-image")
@click.argument("service")
@click.argument("tag")
@click.option("--env", "env", required=True, metavar="E", help="The environment.")
@click.option("--region", metavar="R", help="Only this region (pinned in its values file).")
@repo_option
@commit_option
@dry_run_option
@allow_dirty_option
@click.pass_context
def set_image(ctx: click.Context, service: str, tag: str, env: str, region: str | None,
              repo: Path, commit: bool, dry_run: bool, allow_dirty: bool) -> int:
    """Set SERVICE's image TAG in an environment (every region, or one with --region).

    Edits <env>/tag.yaml (a region's pin goes in <env>/<region>.values.yaml), keeping its
    comments. Setting the environment's tag drops the regions' pins.
    """
    found = _prepare(repo, dry_run, allow_dirty, commit)
    result = release.set_image(found.root, found.platform, service, tag, env, region)
    return _finish(ctx, result, found.root, dry_run=dry_run, commit=commit)


@click.command()
@click.argument("services", nargs=-1)
@click.option("--all", "all_services", is_flag=True, help="Every service of the platform.")
@click.option("--from", "source", required=True, metavar="E1", help="Promote from here...")
@click.option("--to", "target", required=True, metavar="E2", help="...to here.")
@click.option("--region", metavar="R", help="Only this region.")
@repo_option
@commit_option
@dry_run_option
@allow_dirty_option
@click.pass_context
def promote(ctx: click.Context, services: tuple[str, ...], all_services: bool, source: str,
            target: str, region: str | None, repo: Path, commit: bool, dry_run: bool,
            allow_dirty: bool) -> int:
    """Give SERVICES (or --all) in E2 the image tag they run in E1.

    A service whose regions of E1 run different tags is promoted one region at a time
    (--region). A promotion that changes nothing says so and succeeds.
    """
    if all_services and services:
        raise InputError("name services or pass --all, not both")
    found = _prepare(repo, dry_run, allow_dirty, commit)
    chosen = [s.name for s in found.platform.services] if all_services else list(services)
    result = release.promote(found.root, found.platform, chosen, source, target, region)
    return _finish(ctx, result, found.root, dry_run=dry_run, commit=commit)
