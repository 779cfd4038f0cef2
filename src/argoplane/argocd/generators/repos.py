"""What the git generator asks Argo CD's repo-server, answered from local checkouts.

`Repos` is the interface (the repo-server's `GetDirectories` / `GetFiles`); `CheckoutRepos`
implements it over the folders `GeneratorContext.repo_dir` returns. Another implementation
(a recorded answer, a remote cache) can be put into `GeneratorContext.repos`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from argoplane.argocd.glob import doublestar_match, git_pathspec_match
from argoplane.core import command
from argoplane.core.errors import GeneratorError, ToolError


class Repos(Protocol):
    """The two repo-server calls the git generator makes."""

    def directories(self, repo_url: str, revision: str) -> list[str]:
        """Every directory of the checkout (repo-relative, `/`-separated), in the
        repo-server's order: depth-first pre-order, siblings sorted, hidden ones skipped."""
        ...

    def files(self, repo_url: str, revision: str, pattern: str,
              new_globbing: bool) -> dict[str, str]:
        """The files one `files[].path` pattern selects, with their contents."""
        ...


def _revision(revision: str) -> str:
    return revision or "HEAD"


def pattern_escapes(pattern: str) -> bool:
    """True when a files pattern names something outside the repository (`/x`, `../x`)."""
    if pattern.startswith("/"):
        return True
    depth = 0
    for seg in pattern.split("/"):
        if seg == "..":
            depth -= 1
            if depth < 0:
                return True
        elif seg not in ("", "."):
            depth += 1
    return False


class CheckoutRepos:
    """`Repos` over local checkouts: `repo_dir(repoURL)` gives the folder, None = unknown.

    Listings are cached per folder for the lifetime of the object (one ApplicationSet
    expansion), so a matrix that re-runs a git child per row lists the repository once.
    """

    def __init__(self, repo_dir: Callable[[str], Path | None]) -> None:
        self._repo_dir = repo_dir
        self._dirs: dict[Path, list[str]] = {}
        self._files: dict[Path, list[str]] = {}
        self._paths: dict[Path, list[tuple[str, bool]]] = {}

    def _root(self, repo_url: str, revision: str, what: str) -> Path:
        folder = self._repo_dir(repo_url)
        if folder is None:
            raise GeneratorError(
                f"{what}: repository {repo_url!r} (revision {_revision(revision)}) is not "
                "available offline; argoplane only reads local checkouts (list this "
                "repository's URL under repoURLs in .argoplane.yaml when it is the one being "
                "rendered)")
        return Path(os.path.realpath(folder))

    # -- directories -----------------------------------------------------------------------
    def directories(self, repo_url: str, revision: str) -> list[str]:
        root = self._root(repo_url, revision, "error getting directories from repo")
        if root not in self._dirs:
            out: list[str] = []
            self._walk_dirs(root, "", out)
            self._dirs[root] = out
        return list(self._dirs[root])

    def _walk_dirs(self, folder: Path, rel: str, out: list[str]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            raise GeneratorError(f"error walking the file tree: {exc}") from None
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False) or entry.name.startswith("."):
                continue
            path = f"{rel}/{entry.name}" if rel else entry.name
            out.append(path)
            self._walk_dirs(Path(entry.path), path, out)

    # -- files -----------------------------------------------------------------------------
    def files(self, repo_url: str, revision: str, pattern: str,
              new_globbing: bool) -> dict[str, str]:
        rev = _revision(revision)
        where = f"repo {repo_url} with revision {rev} pattern {pattern}"
        root = self._root(repo_url, revision, f"unable to list files. {where}")
        pattern = pattern or "."
        if pattern_escapes(pattern):
            raise GeneratorError(f"unable to list files. {where}: {pattern!r} is outside the "
                                 "repository")
        out: dict[str, str] = {}
        if new_globbing:
            for rel, is_dir in self._all_paths(root):
                if not doublestar_match(pattern, rel):
                    continue
                if is_dir:
                    raise GeneratorError(f"unable to read files. {where}: read {rel}: is a "
                                         "directory")
                real = Path(os.path.realpath(root / rel))
                if real != root and root not in real.parents:
                    continue  # Argo drops matches whose symlink leaves the repository
                out[rel] = self._read(real, rel, where)
            return out
        for rel in self._all_files(root):
            if git_pathspec_match(pattern, rel):
                real = Path(os.path.realpath(root / rel))
                if root not in real.parents:
                    raise GeneratorError(f"unable to read files. {where}: {rel} is a symlink "
                                         "that points outside the repository")
                out[rel] = self._read(real, rel, where)
        return out

    @staticmethod
    def _read(path: Path, rel: str, where: str) -> str:
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise GeneratorError(f"unable to read files. {where}: {rel} is not a UTF-8 text "
                                 "file") from None
        except OSError as exc:
            raise GeneratorError(f"unable to read files. {where}: {exc.strerror}: {rel}"
                                 ) from None

    def _all_files(self, root: Path) -> list[str]:
        """What `git ls-files` lists: tracked and untracked-but-not-ignored files of a Git
        work tree (the working tree is what is being rendered), else every file."""
        if root not in self._files:
            files = self._git_files(root) if (root / ".git").exists() else None
            if files is None:
                files = [rel for rel, is_dir in self._all_paths(root) if not is_dir]
            self._files[root] = files
        return self._files[root]

    @staticmethod
    def _git_files(root: Path) -> list[str] | None:
        try:
            out = command.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others",
                               "--exclude-standard"], timeout=60).stdout
        except ToolError:
            return None
        seen: set[str] = set()
        files: list[str] = []
        for rel in out.split("\0"):
            if rel and rel not in seen and os.path.lexists(root / rel) and not (
                    root / rel).is_dir():
                seen.add(rel)
                files.append(rel)
        return sorted(files)

    def _all_paths(self, root: Path) -> list[tuple[str, bool]]:
        """Every file and directory under the root (not following directory symlinks, not
        entering `.git`), as (repo-relative path, is a directory)."""
        if root not in self._paths:
            out: list[tuple[str, bool]] = []
            self._walk_all(root, "", out)
            self._paths[root] = out
        return self._paths[root]

    def _walk_all(self, folder: Path, rel: str, out: list[tuple[str, bool]]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            if entry.name == ".git":
                continue
            is_dir = entry.is_dir(follow_symlinks=False)
            out.append((path, is_dir))
            if is_dir:
                self._walk_all(Path(entry.path), path, out)
