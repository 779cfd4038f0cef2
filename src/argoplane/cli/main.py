"""`argoplane`: the entry point. Errors reach the user here, once, as exit codes."""

from __future__ import annotations

import sys
import traceback

import click

from argoplane import __version__
from argoplane.cli import add as add_cmd
from argoplane.cli import appset as appset_cmd
from argoplane.cli import assess as assess_cmd
from argoplane.cli import compare as compare_cmd
from argoplane.cli import diff as diff_cmd
from argoplane.cli import init as init_cmd
from argoplane.cli import lint as lint_cmd
from argoplane.cli import migrate as migrate_cmd
from argoplane.cli import release as release_cmd
from argoplane.cli import render as render_cmd
from argoplane.cli import secrets as secrets_cmd
from argoplane.cli import status as status_cmd
from argoplane.core.errors import ArgoplaneError, ExitCode


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="argoplane")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour in terminal output.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, color: str) -> None:
    """The offline control plane for Argo CD GitOps repositories."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["color"] = color


render_cmd.register(cli)
appset_cmd.register(cli)
secrets_cmd.register(cli)
diff_cmd.register(cli)
lint_cmd.register(cli)
init_cmd.register(cli)
add_cmd.register(cli)
release_cmd.register(cli)
status_cmd.register(cli)
assess_cmd.register(cli)
compare_cmd.register(cli)
migrate_cmd.register(cli)


def main(argv: list[str] | None = None) -> int:
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        result = cli.main(args=argv, prog_name="argoplane", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("argoplane: aborted", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return ExitCode.BAD_INPUT
    except ArgoplaneError as exc:
        if debug:
            traceback.print_exc()
        click.echo(f"argoplane: error: {exc}", err=True)
        return int(exc.exit_code)
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as exc:  # a bug: say so, once, with a way to get the details
        if debug:
            traceback.print_exc()
        else:
            click.echo(f"argoplane: internal error: {type(exc).__name__}: {exc} "
                       "(run with --debug for the traceback and report it)", err=True)
        return ExitCode.INTERNAL
    return int(result or 0)
