"""A snapshot is the repository's files at one revision, read from one folder on disk.

Every path argoplane reads goes through `Snapshot.resolve`, which refuses anything that
leaves the repository, through `..` or through a symlink.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from argoplane.core import command
from argoplane.core.config import Config, load_config
from argoplane.core.errors import InputError, PathEscapeError, ToolError
from argoplane.core.paths import realpath
from argoplane.core.repourl import normalize_repo_url
from argoplane.core.yamlio import ParsedFiles


@dataclass
class Snapshot:
    root: Path
    label: str = "working tree"
    config: Config = field(default_factory=Config)
    # what is derived from the snapshot's files (listings, parsed manifests), kept for a run
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    # parsed file contents, by content: the snapshots of one diff share it
    parsed: ParsedFiles = field(default_factory=ParsedFiles, repr=False, compare=False)
    # for a committed revision: the folder it was read from and the commit
    checkout: Path | None = None
    commit: str | None = None

    @property
    def realpaths(self) -> dict[str, str]:
        """Real paths of the snapshot's folders, filled as they are looked up (for a run)."""
        found: dict[str, str] = self.memo.setdefault("realpaths", {})
        return found

    @classmethod
    def open(cls, path: Path) -> Snapshot:
        if not path.exists():
            raise InputError(f"{path}: no such directory")
        if not path.is_dir():
            raise InputError(f"{path}: not a directory")
        root = path.resolve()
        return cls(root=root, config=load_config(root))

    @classmethod
    @contextmanager
    def at_revision(cls, path: Path, rev: str) -> Iterator[Snapshot]:
        """The folder `path` as committed at `rev`, read with `git archive` into a temporary
        folder (removed afterwards). The working tree and the index are never touched."""
        checkout = git_checkout(path)
        commit = resolve_revision(path, rev, checkout)
        tree = revision_tree(path, rev, checkout, commit)
        with tempfile.TemporaryDirectory(prefix="argoplane-rev-", dir=_scratch_dir()) as tmp:
            archive = Path(tmp) / "tree.tar"
            root = Path(tmp) / "tree"
            command.run(["git", "-C", str(checkout.top), "archive", "--format=tar", "-o",
                         str(archive), tree], timeout=600)
            root.mkdir()
            _extract(archive, root)
            archive.unlink()
            try:
                config = load_config(root)
            except InputError as exc:
                raise InputError(f"{exc} (at revision {rev})") from None
            yield cls(root=root.resolve(), label=revision_label(rev, commit), config=config,
                      checkout=path.resolve(), commit=commit)

    def checkout_charts_dirs(self) -> list[Path]:
        """For a revision, the offline chart cache (`helm.chartsDir`) of the folder it was
        read from: such caches are seldom committed. Empty for a working tree."""
        if self.checkout is None or not self.config.charts_dir:
            return []
        folder = self.checkout / self.config.charts_dir
        return [folder] if folder.is_dir() else []

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
        real = Path(realpath(str(path), self.realpaths))
        if real != self.root and self.root not in real.parents:
            raise PathEscapeError(
                f"{norm or rel!r} is a symlink that points outside the repository")
        return real

    def relpath(self, path: Path) -> str:
        text, root = str(path), str(self.root)
        if text.startswith(root + "/"):  # the common case, without os.path.relpath's work
            rest = text[len(root) + 1 :]
            if all(part not in ("", ".", "..") for part in rest.split("/")):
                return rest
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
        folder = self.checkout or self.root
        if (folder / ".git").exists():
            try:
                out = command.run(["git", "-C", str(folder), "remote", "-v"], timeout=10).stdout
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


# -- revisions -----------------------------------------------------------------------------
_SHM = Path("/dev/shm")
_SHM_MIN_FREE = 1 << 30


def _scratch_dir() -> str | None:
    """Where revisions are unpacked: memory-backed /dev/shm when there is room for it
    (creating thousands of files is far slower on many disks), unless TMPDIR says where."""
    if os.environ.get("TMPDIR"):
        return None
    try:
        if _SHM.is_dir() and os.access(_SHM, os.W_OK) and (
                shutil.disk_usage(_SHM).free >= _SHM_MIN_FREE):
            return str(_SHM)
    except OSError:
        pass
    return None


def _extract(archive: Path, root: Path) -> None:
    """Unpack `git archive` output. The tar tool refuses `..` and absolute member names and
    is many times faster than Python's tarfile; tarfile with its `tar` filter otherwise.
    Symlinks are kept as committed: `Snapshot.resolve` refuses those that leave the tree."""
    try:
        command.run(["tar", "-x", "--no-same-owner", "-f", str(archive), "-C", str(root)],
                    timeout=600)
        return
    except ToolError as exc:
        if exc.returncode != 127:
            raise
    with tarfile.open(archive) as tar:
        tar.extractall(root, filter="tar")


@dataclass(frozen=True)
class GitCheckout:
    top: Path  # the repository's top-level folder
    prefix: str  # the folder inside it, '' or ending in '/'
    shallow: bool


def _git_reason(exc: ToolError) -> str:
    lines = [ln.strip() for ln in exc.stderr.strip().splitlines() if ln.strip()]
    reason = lines[-1] if lines else f"git exited with {exc.returncode}"
    return reason.removeprefix("fatal: ").removeprefix("error: ")


def git_checkout(path: Path) -> GitCheckout:
    """The Git repository that holds `path`; InputError when there is none."""
    if not path.exists():
        raise InputError(f"{path}: no such directory")
    if not path.is_dir():
        raise InputError(f"{path}: not a directory")
    try:
        out = command.run(["git", "-C", str(path), "rev-parse", "--show-toplevel",
                           "--show-prefix", "--is-shallow-repository"], timeout=30).stdout
    except ToolError as exc:
        raise InputError(f"{path}: not a Git checkout, so revisions cannot be read "
                         f"({_git_reason(exc)})") from None
    lines = out.split("\n")
    if len(lines) < 3 or not lines[0]:
        raise InputError(f"{path}: not inside a Git work tree")
    return GitCheckout(Path(lines[0]), lines[1].strip(), lines[2].strip() == "true")


def resolve_revision(path: Path, rev: str, checkout: GitCheckout | None = None) -> str:
    """The commit a revision names (branch, tag, hash, `HEAD~2`...); InputError when it names
    none, with a hint when a shallow clone is the likely reason."""
    checkout = checkout or git_checkout(path)
    if not rev or rev.startswith("-"):
        raise InputError(f"{rev!r} is not a revision")
    result = command.run(["git", "-C", str(path), "rev-parse", "--verify", "--quiet",
                          "--end-of-options", f"{rev}^{{commit}}"], ok_codes=(0, 1, 128),
                         timeout=30)
    commit = result.stdout.strip()
    if result.returncode != 0 or not commit:
        if checkout.shallow:
            raise InputError(
                f"revision {rev!r} is not in this shallow clone of {checkout.top}: fetch more "
                "history (`git fetch --unshallow`, or `fetch-depth: 0` in CI)")
        raise InputError(f"unknown revision {rev!r}: not a branch, tag or commit of "
                         f"{checkout.top}")
    return commit


def revision_label(rev: str, commit: str) -> str:
    """How a revision is named in reports: `main (1a2b3c4)`, or the hash alone."""
    return rev if commit.startswith(rev) else f"{rev} ({commit[:7]})"


def revision_tree(path: Path, rev: str, checkout: GitCheckout | None = None,
                  commit: str | None = None) -> str:
    """The Git tree id of the folder `path` at `rev`: two revisions whose trees are the same
    hold the same files."""
    checkout = checkout or git_checkout(path)
    commit = commit or resolve_revision(path, rev, checkout)
    result = command.run(["git", "-C", str(path), "rev-parse", "--verify", "--quiet",
                          f"{commit}:{checkout.prefix}"], ok_codes=(0, 1, 128),
                         timeout=30)
    if result.returncode != 0 or not result.stdout.strip():
        raise InputError(f"{path}: this folder ({checkout.prefix.rstrip('/')}) does not exist "
                         f"at revision {rev}")
    return result.stdout.strip()


def merge_base(path: Path, a: str, b: str) -> str:
    """The best common ancestor of two revisions (what `git diff A...B` compares with)."""
    checkout = git_checkout(path)
    first, second = resolve_revision(path, a, checkout), resolve_revision(path, b, checkout)
    result = command.run(["git", "-C", str(path), "merge-base", first, second],
                         ok_codes=(0, 1), timeout=60)
    if result.returncode != 0 or not result.stdout.strip():
        hint = (" in this shallow clone: fetch more history (`git fetch --unshallow`, or "
                "`fetch-depth: 0` in CI)" if checkout.shallow else "")
        raise InputError(f"{a} and {b} have no common ancestor{hint}")
    return result.stdout.strip()
