"""Write a plan: every file through a temporary file and a rename, so none is ever half
written, even when the run is interrupted."""

from __future__ import annotations

import contextlib
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from argoplane.layout.plan import Change, Plan

PARALLEL_FROM = 64  # changes; fewer are written one by one
WRITERS = 4
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def write_atomic(path: Path, content: str, *, sync: bool = False) -> None:
    """Replace `path` with `content` in one rename; the old file stays whole until then.
    A new file gets the umask's permissions, an existing one keeps its own."""
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, _FLAGS, 0o666 if mode is None else mode)
    try:
        try:
            data = memoryview(content.encode("utf-8"))
            while data:
                data = data[os.write(fd, data):]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        if mode is not None:
            os.chmod(tmp, mode)  # the umask may have narrowed it
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def apply(plan: Plan) -> list[str]:
    """Write every change of the plan; returns the paths written. The last change (the
    inventory, when it changes) is written after all the others. Large plans are written by
    a few threads: creating files is kernel time, and it overlaps."""
    changes = plan.changes
    for folder in sorted({(plan.root / c.path).parent for c in changes}):
        folder.mkdir(parents=True, exist_ok=True)

    def write(change: Change) -> str:
        write_atomic(plan.root / change.path, change.content, sync=change.action == "update")
        return change.path

    if len(changes) <= PARALLEL_FROM:
        return [write(c) for c in changes]
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        written = list(pool.map(write, changes[:-1], chunksize=32))
    return [*written, write(changes[-1])]
