"""The one interface every ApplicationSet generator implements."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from argoplane.core.config import ClusterConfig

if TYPE_CHECKING:
    from argoplane.argocd.generators.repos import Repos

ParamSet = dict[str, Any]

# A cluster as Argo CD knows it (from a cluster Secret or .argoplane.yaml).
Cluster = ClusterConfig


@dataclass(frozen=True)
class GeneratorContext:
    """What a generator may look at besides its own spec. No I/O beyond `repo_dir`/`repos`."""

    appset_name: str
    go_template: bool = False
    go_template_options: tuple[str, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    # repoURL -> local checkout folder for git generators; None when the repo is not available
    repo_dir: Callable[[str], Path | None] = lambda _url: None
    file: str | None = None  # the manifest file, for error messages
    # The repo-server calls of the git generator (directory listing, files by pattern).
    # None: answered from the checkouts `repo_dir` returns (set in __post_init__).
    repos: Repos | None = None
    # Argo CD's --enable-new-git-file-globbing (doublestar) instead of `git ls-files`
    new_git_file_globbing: bool = False
    # Generator implementations that replace the built-in ones of the same kind (a recorded
    # answer, a test double); kinds not listed use argoplane's own.
    generators: Mapping[str, Generator] | None = None
    # How deep the generator being evaluated sits: 0 for a `spec.generators[]` entry, 1 for
    # a child of a matrix/merge, 2 for a child of a nested matrix/merge.
    nesting: int = 0

    def __post_init__(self) -> None:
        if self.repos is None:
            from argoplane.argocd.generators.repos import CheckoutRepos

            object.__setattr__(self, "repos", CheckoutRepos(self.repo_dir))


class Generator(Protocol):
    """Turns one generator spec (the value under its key, e.g. `list:`) into param sets."""

    def __call__(self, spec: Mapping[str, Any], ctx: GeneratorContext) -> list[ParamSet]: ...
