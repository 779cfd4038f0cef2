"""`argoplane status`: the image-tag matrix (service x environment x region) with drift."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from argoplane.cli.options import console
from argoplane.core import jsonio
from argoplane.layout.repo import open_repo
from argoplane.release import report


@click.command()
@click.argument("repo", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="Output format.")
@click.pass_context
def status(ctx: click.Context, repo: Path, output: str) -> int:
    """Which image tag every service runs in every environment and region.

    Highlights drift: an environment behind (or ahead of) the one before it in promotion
    order, and regions of one environment on different tags. A tag marked * is pinned in
    the region's values file.
    """
    found = open_repo(repo)
    result = report.build(found.root, found.platform)
    if output == "json":
        sys.stdout.write(jsonio.dumps(report.to_json(result)))
    elif output == "markdown":
        sys.stdout.write(report.to_markdown(result))
    else:
        out = console(ctx)
        out.print(report.to_table(result))
        out.print(report.summary_line(result), markup=False)
    return 0
