"""Writing files whole: a temporary file in the same folder, then one rename.

Every writer of argoplane goes through `write_atomic`, so an interrupted run leaves each
file either as it was or as it should be, never half written.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def write_atomic(path: Path, text: str, *, mode: int | None = None, exclusive: bool = False,
                 sync: bool | None = None) -> None:
    """Replace (or create) `path` with `text`.

    `mode`: the new file's permissions; by default an existing file keeps its own and a new
    one gets the umask's. `exclusive`: never replace an existing file (FileExistsError).
    `sync`: flush to disk before the rename; by default only when a file is replaced.
    """
    try:
        current: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        current = None
    if exclusive and current is not None:
        raise FileExistsError(f"{path} already exists")
    wanted = mode if mode is not None else current
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, _FLAGS, 0o666 if wanted is None else (wanted & 0o666) | 0o600)
    try:
        try:
            data = memoryview(text.encode("utf-8"))
            while data:
                data = data[os.write(fd, data):]
            if sync if sync is not None else current is not None:
                os.fsync(fd)
            if wanted is not None:
                os.fchmod(fd, wanted)  # the umask may have narrowed it
        finally:
            os.close(fd)
        if exclusive:
            os.link(tmp, path)  # fails if the target appeared meanwhile, atomically
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
