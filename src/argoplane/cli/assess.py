"""`argoplane assess`: the practices scorecard of a repository, with evidence."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from argoplane.assess.run import assess_repository
from argoplane.core.errors import ExitCode
from argoplane.core.snapshot import Snapshot
from argoplane.render.tree import RenderOptions
from argoplane.report.assess_json import assessment_json
from argoplane.report.assess_markdown import assessment_markdown
from argoplane.report.assess_text import assessment_text
from argoplane.report.html_assess import assessment_html


def command_paths(ctx: click.Context) -> frozenset[str]:
    """Every command argoplane has, as typed: `render`, `secrets encrypt`..."""
    out: set[str] = set()

    def walk(group: click.Command, prefix: str) -> None:
        if isinstance(group, click.Group):
            for name in group.list_commands(ctx):
                sub = group.get_command(ctx, name)
                if sub is None:
                    continue
                path = f"{prefix}{name}"
                out.add(path)
                walk(sub, path + " ")

    walk(ctx.find_root().command, "")
    return frozenset(out)


def repo_name(path: Path) -> str:
    return path.resolve().name


charts_dir_option = click.option(
    "--charts-dir", "charts_dirs", multiple=True, metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Offline cache of charts from Helm repositories (<chart>-<version>.tgz).")


@click.command()
@click.argument("repo", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Choice(["text", "markdown", "json", "html"]),
              default="text", show_default=True, help="Output format.")
@click.option("--name", metavar="NAME", help="Name shown in the report (default: the folder's).")
@click.option("--fail-under", type=click.FloatRange(0, 10), metavar="SCORE",
              help="Exit 1 when the score is below SCORE (0-10).")
@charts_dir_option
@click.pass_context
def assess(ctx: click.Context, repo: Path, output: str, name: str | None,
           fail_under: float | None, charts_dirs: tuple[Path, ...]) -> int:
    """Assess REPO (default: the current folder) against the Argo CD practices.

    Renders every Application offline, detects each practice (Helm charts, environments,
    secrets in Git, automated sync, App-of-Apps, ApplicationSets, AppProjects, namespaces,
    image tag files, regions, revision history, documentation) with the files that show it,
    lists the repository's facts and scores it out of 10 (weights: docs/assess.md).

    Exit codes: 0 assessed; 1 the score is below --fail-under; 2 bad input.
    """
    snapshot = Snapshot.open(repo)
    result = assess_repository(snapshot, name=name or repo_name(repo),
                               commands=command_paths(ctx),
                               options=RenderOptions(charts_dirs=list(charts_dirs)))
    a = result.assessment
    writers = {"text": assessment_text, "markdown": assessment_markdown,
               "json": assessment_json, "html": assessment_html}
    sys.stdout.write(writers[output](a))
    if a.errors:
        click.echo(f"argoplane: warning: {len(a.errors)} render errors lower the score "
                   "(`argoplane render` shows them)", err=True)
    if fail_under is not None and a.score < fail_under:
        click.echo(f"argoplane: score {a.score:g} is below --fail-under {fail_under:g}",
                   err=True)
        return ExitCode.FINDINGS
    return ExitCode.OK
