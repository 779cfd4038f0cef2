"""A plan: the files a writer will create or change, shown before anything is written."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Action = Literal["create", "update"]
GROUP_AT = 3  # created files are counted per folder this deep (applications/<group>/<svc>)
LIST_UP_TO = 8  # a new folder with more new files than this is shown as one line


@dataclass(frozen=True)
class Change:
    path: str  # relative to the plan's root, POSIX
    action: Action
    content: str
    summary: str = ""  # what changes inside the file, for updates
    recipients: tuple[str, ...] = ()  # encrypt `content` for these age recipients first


@dataclass
class Plan:
    root: Path
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what stays as it is, and why

    @property
    def empty(self) -> bool:
        return not self.changes

    def add(self, change: Change) -> None:
        self.changes.append(change)

    @property
    def paths(self) -> list[str]:
        return [c.path for c in self.changes]

    def counts(self) -> tuple[int, int]:
        created = sum(c.action == "create" for c in self.changes)
        return created, len(self.changes) - created


def describe(plan: Plan, *, every_file: bool = False) -> list[str]:
    """The plan as lines: `+` created, `~` changed. New folders with many new files are
    shown as one line each unless `every_file`."""
    lines: list[str] = []
    created = sorted(c.path for c in plan.changes if c.action == "create")
    folders: dict[str, list[str]] = defaultdict(list)
    for path in created:
        folders[_new_folder(plan.root, path)].append(path)
    shown: set[str] = set()
    for path in created:
        folder = _new_folder(plan.root, path)
        members = folders[folder]
        if every_file or not folder or len(members) <= LIST_UP_TO:
            lines.append(f"  + {path}")
        elif folder not in shown:
            shown.add(folder)
            lines.append(f"  + {folder}/  ({len(members)} files)")
    for change in sorted((c for c in plan.changes if c.action == "update"),
                         key=lambda c: c.path):
        suffix = f"  {change.summary}" if change.summary else ""
        lines.append(f"  ~ {change.path}{suffix}")
    return lines


def _new_folder(root: Path, path: str) -> str:
    """The shallowest folder of `path` that does not exist yet, taken at least GROUP_AT deep
    (one line per new service), or '' when the file's folder exists."""
    parts = posixpath.dirname(path).split("/") if "/" in path else []
    for depth in range(1, len(parts) + 1):
        if not (root / "/".join(parts[:depth])).exists():
            return "/".join(parts[:max(depth, min(len(parts), GROUP_AT))])
    return ""


def summary(plan: Plan) -> str:
    created, updated = plan.counts()
    parts = []
    if created:
        parts.append(f"{created} file{'s' if created != 1 else ''} to create")
    if updated:
        parts.append(f"{updated} to change" if created else
                     f"{updated} file{'s' if updated != 1 else ''} to change")
    return ", ".join(parts) if parts else "nothing to do"
