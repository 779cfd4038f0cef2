"""What changed between two rendered trees, as data the formatters present."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ResourceAction = Literal["added", "removed", "modified", "moved"]
AppAction = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class ResourceChange:
    action: ResourceAction
    app: str  # the Application that deploys it (in BASE when removed)
    api_version: str
    kind: str
    namespace: str
    name: str
    diff: str = ""  # unified diff of the normalised YAML; Secret values masked unless asked
    from_app: str | None = None  # moved: the Application that deployed it in BASE
    secret_keys: tuple[str, ...] = ()  # Secret keys whose values were added, removed or changed

    @property
    def title(self) -> str:
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.kind} {where}"

    @property
    def lines_added(self) -> int:
        return sum(1 for ln in self.diff.splitlines() if ln.startswith("+"))

    @property
    def lines_removed(self) -> int:
        return sum(1 for ln in self.diff.splitlines() if ln.startswith("-"))


@dataclass
class AppChange:
    name: str
    action: AppAction
    project: str = ""
    parent: str | None = None
    generated_by: str | None = None
    fields: list[str] = field(default_factory=list)  # changed parts of the Application itself
    spec_diff: str = ""  # unified diff of the Application manifest
    status: tuple[str, str] | None = None  # (BASE, HEAD) when the render status changed
    errors: list[str] = field(default_factory=list)  # HEAD's error messages for the app
    resources: list[ResourceChange] = field(default_factory=list)

    def count(self, action: ResourceAction) -> int:
        return sum(1 for r in self.resources if r.action == action)


@dataclass(frozen=True)
class Side:
    label: str  # "main (1a2b3c4)", "working tree"
    revision: str | None = None  # as the user wrote it; None for the working tree
    commit: str | None = None


@dataclass
class TreeDiff:
    base: Side
    head: Side
    apps: list[AppChange] = field(default_factory=list)
    unchanged: int = 0  # Applications present on both sides with no change
    base_errors: list[str] = field(default_factory=list)  # "app: message" lines
    head_errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.apps)

    def apps_with(self, action: AppAction) -> list[AppChange]:
        return [a for a in self.apps if a.action == action]

    def resources(self) -> list[ResourceChange]:
        """Every resource change once (a move is listed under both of its Applications)."""
        seen: set[int] = set()
        out: list[ResourceChange] = []
        for app in self.apps:
            for r in app.resources:
                if id(r) not in seen:
                    seen.add(id(r))
                    out.append(r)
        return out

    def resource_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("added", "removed", "modified", "moved"), 0)
        for r in self.resources():
            counts[r.action] += 1
        return counts
