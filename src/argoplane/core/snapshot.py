"""A snapshot is the repository's files at one revision, read from one folder on disk.

Every path argoplane reads goes through `Snapshot.resolve`, which refuses anything that
leaves the repository, through `..` or through a symlink.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from argoplane.core import command
from argoplane.core.config import Config, load_config
from argoplane.core.errors import InputError, PathEscapeError, ToolError
from argoplane.core.repourl import normalize_repo_url


@dataclass
class Snapshot:
    root: Path
    label: str = "working tree"
    config: Config = field(default_factory=Config)
    # what is derived from the snapshot's files (listings, parsed manifests), kept for a run
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def open(cls, path: Path) -> Snapshot:
        if not path.exists():
            raise InputError(f"{path}: no such directory")
        if not path.is_dir():
            raise InputError(f"{path}: not a directory")
        root = path.resolve()
        return cls(root=root, config=load_config(root))

    # -- paths -----------------------------------------------------------------------------
    def normalize(self, rel: str, base: str = "") -> str:
        """Repo-relative POSIX path of `rel` taken from `base` ('' when it is the root).

        A leading `/` means the repository root. Raises PathEscapeError when `..` leaves it.
        """
        joined = rel.lstrip("/") if rel.startswith("/") else posixpath.join(base, rel)
        norm = posixpath.normpath(joined) if joined else "."
        if norm == ".." or norm.startswith("../"):
            raise PathEscapeError(f"{rel!r} resolves outside the repository")
        return "" if norm == "." else norm

    def resolve(self, rel: str, base: str = "") -> Path:
        """The real path of a repo-relative path; symlinks must stay inside the repository."""
        norm = self.normalize(rel, base)
        path = self.root / norm if norm else self.root
        real = Path(os.path.realpath(path))
        if real != self.root and self.root not in real.parents:
            raise PathEscapeError(
                f"{norm or rel!r} is a symlink that points outside the repository")
        return real

    def relpath(self, path: Path) -> str:
        rel = os.path.relpath(path, self.root)
        return "" if rel == "." else Path(rel).as_posix()

    def read_text(self, rel: str) -> str:
        path = self.resolve(rel)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError("no such file", file=rel) from None
        except UnicodeDecodeError:
            raise InputError("not a UTF-8 text file", file=rel) from None
        except IsADirectoryError:
            raise InputError("is a directory, not a file", file=rel) from None

    # -- identity --------------------------------------------------------------------------
    @cached_property
    def repo_urls(self) -> frozenset[str]:
        """Normalised repoURLs that mean this repository: configured ones and Git remotes."""
        urls = {normalize_repo_url(u) for u in self.config.repo_urls}
        if (self.root / ".git").exists():
            try:
                out = command.run(["git", "-C", str(self.root), "remote", "-v"], timeout=10).stdout
            except ToolError:
                out = ""
            for line in out.splitlines():
                parts = line.split()
                if len(parts) >= 2:
                    urls.add(normalize_repo_url(parts[1]))
        return frozenset(urls)

    def is_this_repo(self, repo_url: str) -> bool:
        """True when a git source's repoURL points at this checkout.

        With no configured URL and no Git remote, every git repoURL is taken to be this one.
        """
        if not self.repo_urls:
            return True
        return normalize_repo_url(repo_url) in self.repo_urls
