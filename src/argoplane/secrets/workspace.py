"""Which repository a secrets file belongs to, and the sops set up for it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from argoplane.core import command
from argoplane.core.config import CONFIG_FILE, Config, load_config
from argoplane.core.errors import InputError, ToolError
from argoplane.secrets.sops import SOPS_CONFIG, Sops, key_sources

MARKERS = (SOPS_CONFIG, CONFIG_FILE)


def repo_root(path: Path, explicit: Path | None = None) -> Path:
    """The repository root for `path`: `explicit` when given, else the nearest folder up from
    it holding `.sops.yaml` or `.argoplane.yaml`, else the Git top level, else its folder."""
    if explicit is not None:
        if not explicit.is_dir():
            raise InputError(f"--repo {explicit}: no such folder")
        return explicit.resolve()
    start = path.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if any((candidate / m).is_file() for m in MARKERS):
            return candidate
    try:
        top = command.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
                          timeout=10).stdout.strip()
    except ToolError:
        top = ""
    return Path(top).resolve() if top else folder


def inside(path: Path, root: Path) -> Path:
    """`path` resolved; it must be inside the repository root."""
    real = path.resolve()
    if real != root and root not in real.parents:
        raise InputError(f"not inside the repository {root}", file=str(path))
    return real


def sops_for(root: Path, environ: Mapping[str, str], config: Config | None = None) -> Sops:
    config = config if config is not None else load_config(root)
    return Sops(root, key_sources(root, config.age_key_file, environ))
