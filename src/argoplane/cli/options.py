"""Flag groups and helpers shared by several commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import click
from rich.console import Console

from argoplane.argocd.generators.base import Cluster
from argoplane.core import yamlio
from argoplane.core.config import parse_clusters
from argoplane.core.errors import InputError


def console(ctx: click.Context, file: IO[str] | None = None) -> Console:
    """A console decided once: colour on terminals (or --color always), never when piped."""
    out = file or sys.stdout
    mode = (ctx.find_root().obj or {}).get("color", "auto")
    is_tty = out.isatty()
    force = mode == "always"
    no_color = mode == "never" or (mode == "auto" and not is_tty)
    return Console(file=out, force_terminal=force or None, no_color=no_color,
                   width=None if is_tty else 240, soft_wrap=not is_tty, highlight=False)


def load_clusters(path: str | None) -> tuple[Cluster, ...] | None:
    if path is None:
        return None
    file = Path(path)
    if not file.is_file():
        raise InputError("no such file", file=path)
    data = yamlio.load_json_or_yaml(file.read_text(encoding="utf-8"), path)
    return parse_clusters(data, path)


def root_paths(roots: tuple[str, ...], repo: Path) -> list[str]:
    """`--root` values (files or folders, relative to the current folder) as paths relative
    to the repository; each must exist inside it."""
    out = []
    top = repo.resolve()
    for r in roots:
        path = Path(r)
        absolute = path if path.is_absolute() else Path.cwd() / path
        if not absolute.exists():
            raise InputError(f"--root {r}: no such file or folder")
        try:
            out.append(absolute.resolve().relative_to(top).as_posix())
        except ValueError:
            raise InputError(f"--root {r}: not inside {repo}") from None
    return out
