"""A scratch copy of the repository that the phases change one after the other, so that each
phase plans from what the phases before it left and is rendered before anything is written
to the real repository."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from argoplane.core.config import load_config
from argoplane.core.files import write_atomic
from argoplane.core.snapshot import Snapshot
from argoplane.layout.migrate.model import FileChange


def _ignore(top: Path) -> Callable[[str, list[str]], set[str]]:
    """Leave out Git's folder and argoplane's render cache (`.argoplane/cache`)."""
    cache = top / ".argoplane"

    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n == ".git"}
        if Path(folder) == cache:
            skip |= {n for n in names if n == "cache"}
        return skip

    return ignore


class Workspace:
    """`with Workspace(repo) as ws:` a copy of `repo` under a temporary folder."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo.resolve()
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.root = self.repo
        self.touched: dict[str, None] = {}  # every path a phase changed, in order

    def __enter__(self) -> Workspace:
        self._tmp = tempfile.TemporaryDirectory(prefix="argoplane-migrate-")
        self.root = Path(self._tmp.name) / self.repo.name
        shutil.copytree(self.repo, self.root, ignore=_ignore(self.repo), symlinks=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()

    def snapshot(self) -> Snapshot:
        """The copy as a snapshot of the repository: its Git remotes count as this repository,
        and key files and chart caches named in `.argoplane.yaml` are looked for in the real
        repository first, as for a revision."""
        return Snapshot(root=self.root.resolve(), label="migrated",
                        config=load_config(self.root), checkout=self.repo)

    def read(self, rel: str) -> str | None:
        path = self.root / rel
        return path.read_text(encoding="utf-8") if path.is_file() else None

    def apply(self, changes: list[FileChange]) -> None:
        for change in changes:
            path = self.root / change.path
            self.touched.setdefault(change.path)
            if change.action == "delete":
                path.unlink(missing_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, change.content)

    def changes(self) -> list[FileChange]:
        """Every touched file as a change of the real repository (a file created and deleted
        again by later phases is no change)."""
        out: list[FileChange] = []
        for rel in self.touched:
            before = self.repo / rel
            after = self.root / rel
            old = before.read_text(encoding="utf-8") if before.is_file() else None
            new = after.read_text(encoding="utf-8") if after.is_file() else None
            if old == new:
                continue
            if new is None:
                out.append(FileChange(rel, "delete"))
            else:
                out.append(FileChange(rel, "create" if old is None else "update", new))
        return out
