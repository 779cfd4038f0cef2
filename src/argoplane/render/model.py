"""The rendered tree: every Application, where it came from, and what it deploys."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from argoplane.argocd.objects import api_group

Level = Literal["error", "warning", "info"]
Status = Literal["rendered", "error", "skipped"]


@dataclass(frozen=True)
class Message:
    level: Level
    text: str


@dataclass
class Resource:
    manifest: dict[str, Any]
    namespace: str  # the object's namespace, or the destination's for namespaced kinds
    origin: str  # repo-relative file (or chart template) the object came from

    @property
    def api_version(self) -> str:
        return str(self.manifest.get("apiVersion") or "")

    @property
    def group(self) -> str:
        return api_group(self.manifest)

    @property
    def kind(self) -> str:
        return str(self.manifest.get("kind") or "")

    @property
    def name(self) -> str:
        meta = self.manifest.get("metadata") or {}
        return str(meta.get("name") or "")

    def key(self) -> tuple[str, str, str, str]:
        return (self.group, self.kind, self.namespace, self.name)


@dataclass
class RenderedApp:
    name: str
    manifest: dict[str, Any]
    file: str | None  # where the Application manifest lives, when it is a file of the repo
    parent: str | None = None  # the Application that deploys this one
    generated_by: str | None = None  # the ApplicationSet that generated it
    status: Status = "rendered"
    resources: list[Resource] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # Applications and ApplicationSets

    def add(self, level: Level, text: str) -> None:
        self.messages.append(Message(level, text))
        if level == "error":
            self.status = "error"

    def skip(self, reason: str) -> None:
        self.messages.append(Message("info", reason))
        if self.status != "error":
            self.status = "skipped"


@dataclass
class RenderedAppSet:
    name: str
    manifest: dict[str, Any]
    file: str | None
    parent: str | None
    applications: list[str] = field(default_factory=list)
    params: list[list[dict[str, Any]]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    @property
    def status(self) -> Status:
        return "error" if any(m.level == "error" for m in self.messages) else "rendered"


@dataclass
class RenderedTree:
    repo: str
    roots: list[str] = field(default_factory=list)  # names of root Applications / ApplicationSets
    apps: list[RenderedApp] = field(default_factory=list)  # in walk order
    appsets: list[RenderedAppSet] = field(default_factory=list)
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    project_files: dict[str, str] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)

    def app(self, name: str) -> RenderedApp | None:
        return next((a for a in self.apps if a.name == name), None)

    def appset(self, name: str) -> RenderedAppSet | None:
        return next((s for s in self.appsets if s.name == name), None)

    @property
    def resource_count(self) -> int:
        return sum(len(a.resources) for a in self.apps)

    @property
    def errors(self) -> int:
        return sum(m.level == "error" for a in self.apps for m in a.messages) + sum(
            m.level == "error" for s in self.appsets for m in s.messages
        ) + sum(m.level == "error" for m in self.messages)

    @property
    def warnings(self) -> int:
        return sum(m.level == "warning" for a in self.apps for m in a.messages) + sum(
            m.level == "warning" for s in self.appsets for m in s.messages
        ) + sum(m.level == "warning" for m in self.messages)
