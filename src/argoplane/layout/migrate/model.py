"""What a migration is made of: options, the files each phase changes, the Applications it
leaves alone and why, and the proof that nothing deployed changed by accident."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from argoplane.core.errors import InputError
from argoplane.diff.model import TreeDiff

PHASES: tuple[str, ...] = ("appsets", "app-of-apps", "environments", "secrets", "projects",
                           "regions")
GroupBy = Literal["all", "namespace", "service"]
Action = Literal["create", "update", "delete"]


class NeedsPhase(InputError):
    """A phase asked for on a repository that an earlier phase has to prepare first."""


_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def names(value: str, option: str) -> tuple[str, ...]:
    """A comma-separated list of environment or region names (they end up in namespaces)."""
    found = tuple(n.strip() for n in value.split(",") if n.strip())
    for name in found:
        if not _DNS_LABEL.match(name) or len(name) > 30:
            raise InputError(f"{option} {name}: not a name Kubernetes accepts in a namespace "
                             "(lower-case letters, digits and -, at most 30 characters)")
    if len(set(found)) != len(found):
        raise InputError(f"{option} {value}: a name is given twice")
    return found


@dataclass(frozen=True)
class Options:
    envs: tuple[str, ...] = ("dev", "staging", "production")  # the first is deployed today
    regions: tuple[str, ...] = ()  # the first is where today's deployments run
    group_by: GroupBy = "all"
    appset_name: str = "services"  # with group_by "all"
    manual_sync: bool = False  # keep the services' sync policy as it is
    namespace_per_service: bool = False  # each service gets a namespace named after it
    age: tuple[str, ...] = ()  # age recipients for new SOPS files (else .sops.yaml)
    age_key_file: Path | None = None  # an identity to prove the encrypted files with
    sealed: bool = False  # plain Secret manifests become SealedSecrets
    cert: Path | None = None  # the Sealed Secrets controller's certificate
    cluster: str | None = None  # which configured certificate (secrets.sealedSecrets.certs)

    @property
    def current_env(self) -> str:
        return self.envs[0]


@dataclass(frozen=True)
class FileChange:
    path: str  # repo-relative, POSIX
    action: Action
    content: str = ""  # the whole new file, for create and update
    summary: str = ""  # what changes inside it


@dataclass(frozen=True)
class Skip:
    """An Application this phase cannot migrate safely, and why."""

    app: str
    reason: str


@dataclass
class PhasePlan:
    phase: str
    title: str = ""  # what the phase does in this repository, one line
    changes: list[FileChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what stays as it is, and why
    skipped: list[Skip] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)  # Application: before -> after
    # intended changes the proof accepts
    namespaces: dict[str, tuple[str, str]] = field(default_factory=dict)  # app -> (old, new)
    sealed: set[tuple[str, str]] = field(default_factory=set)  # (namespace, name) of Secrets

    @property
    def empty(self) -> bool:
        return not self.changes

    def add(self, path: str, action: Action, content: str = "", summary: str = "") -> None:
        self.changes.append(FileChange(path, action, content, summary))


@dataclass(frozen=True)
class Intended:
    """A change the migration means to make, by kind, with how many objects it touches."""

    kind: str
    text: str
    count: int = 1


@dataclass(frozen=True)
class Difference:
    """A change nobody asked for: a resource of the existing environment that differs."""

    text: str
    diff: str = ""  # unified diff of the normalised manifests; Secret values masked


@dataclass
class Proof:
    environment: str  # the environment the repository deploys today
    applications: int = 0  # Applications of the original render compared
    resources: int = 0  # resources they deploy
    identical: int = 0  # of them, deployed unchanged after the phase
    intended: list[Intended] = field(default_factory=list)
    unintended: list[Difference] = field(default_factory=list)
    added_apps: list[str] = field(default_factory=list)  # new environments' Applications
    added_resources: dict[str, int] = field(default_factory=dict)  # their resources by kind
    diff: TreeDiff | None = None  # the rendered diff of the existing environment

    @property
    def ok(self) -> bool:
        return not self.unintended


@dataclass
class PhaseResult:
    plan: PhasePlan
    proof: Proof | None = None  # None when the phase changes nothing


@dataclass
class Migration:
    repo: Path
    phases: list[PhaseResult] = field(default_factory=list)
    changes: list[FileChange] = field(default_factory=list)  # all phases, against the repo
    applied: bool = False
    aborted: bool = False  # --apply refused: a proof found unintended differences

    @property
    def ok(self) -> bool:
        return all(r.proof is None or r.proof.ok for r in self.phases)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(("create", "update", "delete"), 0)
        for change in self.changes:
            out[change.action] += 1
        return out
