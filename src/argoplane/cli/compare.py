"""`argoplane compare`: two repositories side by side, with a plan for the weaker one."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from argoplane.assess.run import compare_repositories
from argoplane.cli.assess import charts_dir_option, command_paths, repo_name
from argoplane.core.errors import ExitCode
from argoplane.core.snapshot import Snapshot
from argoplane.render.tree import RenderOptions
from argoplane.report.compare_json import comparison_json
from argoplane.report.compare_markdown import comparison_markdown
from argoplane.report.html_compare import comparison_html


def _names(value: str | None, a: Path, b: Path) -> tuple[str, str]:
    if value is None:
        first, second = repo_name(a), repo_name(b)
        return (first, second) if first != second else (str(a), str(b))
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise click.BadParameter("give two names separated by a comma, e.g. \"VIGO,Current\"",
                                 param_hint="--names")
    return parts[0], parts[1]


@click.command()
@click.argument("a", type=click.Path(file_okay=False, path_type=Path))
@click.argument("b", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Choice(["markdown", "html", "json"]),
              default="markdown", show_default=True, help="Output format.")
@click.option("--names", metavar="A,B", help="Names for the two repositories in the report "
              "(default: their folder names).")
@charts_dir_option
@click.pass_context
def compare(ctx: click.Context, a: Path, b: Path, output: str, names: str | None,
            charts_dirs: tuple[Path, ...]) -> int:
    """Compare the Argo CD repositories A and B and recommend changes to the weaker one.

    The report has an executive summary (aspect, A, B, which is ahead), the directory
    structures, configuration, environments and regions, secrets, App-of-Apps, sync
    policies, scale, the best-practices table, strengths and weaknesses, the scores, and
    recommendations for the lower-scoring repository: its ApplicationSet, root
    Applications and AppProjects, generated from its own Applications and rendered by
    argoplane on a copy to prove they deploy the same resources.

    Exit codes: 0 compared; 2 bad input.
    """
    pair = _names(names, a, b)
    comparison = compare_repositories(
        Snapshot.open(a), Snapshot.open(b), names=pair, commands=command_paths(ctx),
        options=RenderOptions(charts_dirs=list(charts_dirs)))
    writers = {"markdown": comparison_markdown, "html": comparison_html,
               "json": comparison_json}
    sys.stdout.write(writers[output](comparison))
    plan = comparison.plan
    if plan.verification is not None and not plan.verification.ok:
        click.echo(f"argoplane: warning: the proposal for {plan.repo} did not verify "
                   f"({len(plan.verification.problems)} problems, listed in the report)",
                   err=True)
    return ExitCode.OK
