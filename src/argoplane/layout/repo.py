"""Find the platform a command works on: `platform.yaml` in the given folder or above it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from argoplane.core.errors import InputError
from argoplane.layout.inventory import PLATFORM_FILE, Platform, parse


@dataclass(frozen=True)
class PlatformRepo:
    root: Path
    text: str
    platform: Platform


def find_root(start: Path) -> Path:
    """The folder holding `platform.yaml`: `start` or the nearest parent, not leaving the Git
    work tree `start` is in."""
    if not start.exists():
        raise InputError(f"{start}: no such directory")
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / PLATFORM_FILE).is_file():
            return folder
        if (folder / ".git").exists():
            break
    raise InputError(f"{start}: no {PLATFORM_FILE} here or in a parent folder (write one and "
                     "run `argoplane init`; docs/platform.md describes it)")


def open_repo(start: Path) -> PlatformRepo:
    root = find_root(start)
    path = root / PLATFORM_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file", file=str(path)) from None
    return PlatformRepo(root, text, parse(text, _label(path)))


def _label(path: Path) -> str:
    """How errors name the inventory: relative to where the user pointed, when possible."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
