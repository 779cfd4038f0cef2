"""`argoplane init`: the whole reference layout from a platform inventory.

Also holds what every writer command shares: show the plan, then write it (or not).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from argoplane.cli.options import console
from argoplane.core.errors import InputError
from argoplane.layout import git
from argoplane.layout.inventory import PLATFORM_FILE, Platform, parse
from argoplane.layout.plan import Plan, describe, summary
from argoplane.layout.scaffold import plan_layout
from argoplane.layout.sops import encrypt_plan
from argoplane.layout.writer import apply

F = TypeVar("F", bound=Callable[..., Any])


def dry_run_option(f: F) -> F:
    return click.option("--dry-run", is_flag=True,
                        help="Show the plan and write nothing.")(f)


def allow_dirty_option(f: F) -> F:
    return click.option("--allow-dirty", is_flag=True,
                        help="Write even when the Git tree has uncommitted changes.")(f)


def every_file_option(f: F) -> F:
    return click.option("--every-file", is_flag=True,
                        help="List every file of the plan, not one line per new folder.")(f)


def show_plan(ctx: click.Context, heading: str, plan: Plan, *, every_file: bool = False) -> None:
    out = console(ctx)
    out.print(heading, markup=False)
    for line in describe(plan, every_file=every_file):
        out.print(line, markup=False)
    for note in plan.notes:
        out.print(f"  = {note}", markup=False)


def write_plan(ctx: click.Context, plan: Plan, *, dry_run: bool) -> list[str]:
    """Write the shown plan (nothing on a dry run or an empty plan); returns what was written."""
    out = console(ctx)
    if plan.empty:
        out.print("Nothing to do.")
        return []
    if dry_run:
        out.print(f"Dry run: {summary(plan)}; nothing written.", markup=False)
        return []
    written = apply(encrypt_plan(plan))
    created, updated = plan.counts()
    parts = [f"created {created}" if created else "", f"changed {updated}" if updated else ""]
    out.print(f"Done: {', '.join(p for p in parts if p)} file{'s' if len(written) != 1 else ''}.",
              markup=False)
    return written


def describe_platform(platform: Platform) -> str:
    envs = len(platform.environments)
    return (f"platform {platform.name}: {len(platform.services)} services, {envs} environment"
            f"{'s' if envs != 1 else ''}, {len(platform.regions)} regions, "
            f"{len(platform.targets)} Applications per service")


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--from", "source", metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help=f"The inventory to build from (default: DIRECTORY/{PLATFORM_FILE}); it is "
                   f"copied to DIRECTORY/{PLATFORM_FILE}.")
@dry_run_option
@allow_dirty_option
@every_file_option
@click.pass_context
def init(ctx: click.Context, directory: Path, source: Path | None, dry_run: bool,
         allow_dirty: bool, every_file: bool) -> int:
    """Write the reference layout for a platform into DIRECTORY.

    Charts, ApplicationSets, environment and region value files, tag files, secrets
    placeholders, AppProjects, App-of-Apps roots, third-party Applications, .argoplane.yaml
    and a README. Files that exist are kept; ApplicationSet elements, AppProject
    destinations and .argoplane.yaml clusters are brought in step with the inventory.
    Running it again changes nothing.
    """
    inventory = source if source is not None else directory / PLATFORM_FILE
    if not inventory.is_file():
        if source is not None:
            raise InputError(f"--from {source}: no such file")
        raise InputError(f"{inventory}: no such file; write the platform inventory there or "
                         "pass --from FILE (docs/platform.md shows a minimal one)")
    try:
        text = inventory.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file", file=str(inventory)) from None
    platform = parse(text, str(inventory))
    if not dry_run:
        git.ensure_clean(directory, allow_dirty)
    plan = plan_layout(directory, platform, text, summary=f"replaced by {inventory}")
    show_plan(ctx, f"init {directory} ({describe_platform(platform)}):", plan,
              every_file=every_file)
    write_plan(ctx, plan, dry_run=dry_run)
    return 0
