"""The command list: every command is reachable, and a command loads only what it uses."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from argoplane.cli.main import COMMANDS, cli, main


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert f"\n  {name} " in out, name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_resolves_and_shows_its_help(name: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with click.Context(cli) as ctx:
        command = cli.get_command(ctx, name)
    assert command is not None
    assert main([name, "--help"]) == 0
    assert f"Usage: argoplane {name}" in capsys.readouterr().out


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rendr"]) == 2
    assert "No such command 'rendr'" in capsys.readouterr().err


def _loaded_after(args: list[str]) -> set[str]:
    """argoplane's modules loaded once `argoplane ARGS` ran (listed on stderr)."""
    code = ("import sys; from argoplane.cli.main import main; main(sys.argv[1:]); "
            "print(*[m for m in sys.modules if m.startswith('argoplane.')], file=sys.stderr)")
    return set(subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, check=True).stderr.split())


def test_version_loads_no_command() -> None:
    loaded = _loaded_after(["--version"])
    assert not any(m.startswith(("argoplane.cli.render", "argoplane.render.", "argoplane.checks."))
                   for m in loaded)


def test_render_does_not_load_the_lint_rules_or_the_writers() -> None:
    loaded = _loaded_after(["render", "--help"])
    assert "argoplane.cli.render" in loaded
    assert not any(m.startswith(("argoplane.checks.", "argoplane.layout.", "argoplane.assess."))
                   for m in loaded), sorted(loaded)
