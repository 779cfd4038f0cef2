"""What lint produces: rules, the hits they report, and findings with a level and a place."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from argoplane.render.model import RenderedApp

if TYPE_CHECKING:
    from argoplane.checks.context import LintContext

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("info", "warning", "error")  # lowest first


def rank(level: Level) -> int:
    return LEVELS.index(level)


@dataclass(frozen=True)
class Hit:
    """One thing a rule found. The engine turns it into a Finding (rule id, level)."""

    message: str
    app: RenderedApp | None = field(default=None, compare=False)
    file: str | None = None
    line: int | None = None
    level: Level | None = None  # None: the rule's level
    # the object the hit is about: its `argoplane.io/ignore` annotation silences the hit
    manifest: Mapping[str, Any] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Rule:
    id: str  # AP001
    name: str  # argocd-schema: a short, stable slug
    title: str  # one line
    level: Level  # the default level
    explanation: str  # what it means and how to fix it (shown by --explain)
    check: Callable[[LintContext], Iterable[Hit]] = field(compare=False)


@dataclass(frozen=True)
class Finding:
    rule: str
    level: Level
    message: str
    app: str | None = None
    file: str | None = None
    line: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "level": self.level, "app": self.app, "file": self.file,
                "line": self.line, "message": self.message}

    @property
    def where(self) -> str:
        if self.file is None:
            return ""
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class LintReport:
    """Everything a formatter needs: the findings to show and the rules that ran."""

    repo: str  # what was linted, as the user named it
    findings: tuple[Finding, ...]  # shown (at or above the chosen severity), in order
    rules: tuple[Rule, ...]  # every known rule, in id order
    applications: int
    app_order: tuple[str, ...] = ()  # application names in walk order, for grouping
    hidden: int = 0  # findings below the chosen severity

    def count(self, level: Level) -> int:
        return sum(f.level == level for f in self.findings)

    def summary(self) -> dict[str, int]:
        return {"errors": self.count("error"), "warnings": self.count("warning"),
                "info": self.count("info"), "applications": self.applications,
                "hidden": self.hidden}
