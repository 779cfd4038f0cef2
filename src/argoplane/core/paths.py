"""Real paths, with the folders' real paths kept for a run."""

from __future__ import annotations

import os
import stat


def realpath(path: str, folders: dict[str, str] | None = None) -> str:
    """`os.path.realpath` of a normalized absolute path; with `folders` (real paths of
    folders, filled as it goes) only the last part is looked at on the disk."""
    if folders is None:
        return os.path.realpath(path)
    folder, name = os.path.split(path)
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = os.path.realpath(folder)
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return os.path.realpath(path)
    except OSError:
        pass  # a missing file: realpath keeps its name
    return os.path.join(real, name) if name else real
