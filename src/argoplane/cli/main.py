"""`argoplane`: the entry point. Errors reach the user here, once, as exit codes."""

from __future__ import annotations

import importlib
import sys
import traceback

import click

from argoplane import __version__
from argoplane.core.errors import ArgoplaneError, ExitCode

# every command, and where it lives: a module is imported only when its command runs (or
# `--help` lists them), so a command starts without loading every other one
COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("add", "add"),
    "appset": ("appset", "appset"),
    "assess": ("assess", "assess"),
    "compare": ("compare", "compare"),
    "diff": ("diff", "diff"),
    "init": ("init", "init"),
    "lint": ("lint", "lint"),
    "migrate": ("migrate", "migrate"),
    "promote": ("release", "promote"),
    "render": ("render", "render"),
    "secrets": ("secrets", "secrets"),
    "set-image": ("release", "set_image"),
    "status": ("status", "status"),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when they are looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(f"argoplane.cli.{module}"), attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
