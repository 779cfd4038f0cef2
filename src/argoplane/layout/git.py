"""The Git side of writers: refuse a dirty tree, and commit what was written."""

from __future__ import annotations

from pathlib import Path

from argoplane.core import command
from argoplane.core.errors import InputError, ToolError


def work_tree(path: Path) -> Path | None:
    """The top of the Git work tree holding `path`, or None when it is not in one."""
    probe = path
    while not probe.exists():
        probe = probe.parent
    try:
        out = command.run(["git", "-C", str(probe), "rev-parse", "--show-toplevel"],
                          timeout=30).stdout
    except ToolError:
        return None
    return Path(out.strip()) if out.strip() else None


def dirty_paths(path: Path) -> list[str]:
    """Tracked files under `path` with uncommitted changes (untracked files do not count)."""
    if not path.exists() or work_tree(path) is None:
        return []
    out = command.run(["git", "-C", str(path), "status", "--porcelain", "--untracked-files=no",
                       "--", "."], timeout=60).stdout
    return [line[3:] for line in out.splitlines() if line.strip()]


def ensure_clean(path: Path, allow_dirty: bool) -> None:
    if allow_dirty:
        return
    dirty = dirty_paths(path)
    if dirty:
        shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3} more" if len(dirty) > 3 else "")
        raise InputError(f"{path}: uncommitted changes ({shown}); commit or stash them first, "
                         "or pass --allow-dirty")


def commit(root: Path, paths: list[str], message: str) -> str:
    """One commit of exactly `paths` (relative to `root`); returns its short id."""
    if work_tree(root) is None:
        raise InputError(f"{root}: --commit needs a Git repository")
    command.run(["git", "-C", str(root), "add", "--", *paths], timeout=120)
    command.run(["git", "-C", str(root), "commit", "--quiet", "-m", message,
                 "--", *paths], timeout=120)
    return command.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                       timeout=30).stdout.strip()
