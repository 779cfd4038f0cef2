"""Find every Argo CD manifest in a checkout, and which of them no other Application reaches."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argoplane.argocd.objects import argo_kind
from argoplane.core import yamlio
from argoplane.core.errors import YAMLError
from argoplane.core.snapshot import Snapshot
from argoplane.render.model import Message

_SKIP_DIRS = {".git", "node_modules", ".argoplane", ".venv"}


@dataclass(frozen=True)
class Candidate:
    file: str  # repo-relative
    index: int  # document index in the file
    kind: str  # Application | ApplicationSet | AppProject
    manifest: dict[str, Any]

    @property
    def key(self) -> tuple[str, int]:
        return (self.file, self.index)


def _is_chart_template(folder: Path, chart_dirs: set[Path]) -> bool:
    """Files under a chart's templates/ or charts/ are Helm templates, not manifests."""
    for parent in (folder, *folder.parents):
        if parent.name in ("templates", "charts") and parent.parent in chart_dirs:
            return True
    return False


def manifest_files(snapshot: Snapshot, top: str = "") -> list[str]:
    """Repo-relative YAML/JSON files below `top`, in lexical walk order, minus chart templates."""
    return [rel for rel, _link in _manifest_entries(snapshot, top)]


def _manifest_entries(snapshot: Snapshot, top: str) -> list[tuple[str, bool]]:
    """(file, whether it is a symlink), walked once per run as `os.walk` walks (symlinked
    folders are listed but not entered)."""
    key = ("manifest files", top)
    known = snapshot.memo.get(key)
    if known is None:
        known = snapshot.memo[key] = _walk_manifests(snapshot, top)
    return list(known)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _walk_manifests(snapshot: Snapshot, top: str) -> list[tuple[str, bool]]:
    start = snapshot.resolve(top)
    if start.is_file():
        return [(snapshot.relpath(start), False)]
    out: list[tuple[str, bool]] = []
    chart_dirs: set[Path] = set()
    base = snapshot.relpath(start)

    def visit(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        dirs = {e.name: e for e in entries if _is_dir(e)}
        files = sorted((e for e in entries if e.name not in dirs), key=lambda e: e.name)
        here = Path(folder)
        if any(e.name == "Chart.yaml" for e in files):
            chart_dirs.add(here)
        if not _is_chart_template(here, chart_dirs):
            out.extend((prefix + e.name, e.is_symlink()) for e in files
                       if e.name.endswith((".yaml", ".yml", ".json")))
        for name in sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")):
            if not dirs[name].is_symlink():
                visit(dirs[name].path, f"{prefix}{name}/")

    visit(str(start), f"{base}/" if base else "")
    return out


def _read(snapshot: Snapshot, rel: str, link: bool) -> str:
    """A file found by the walk; only a symlink needs the check that it stays inside."""
    if link:
        return snapshot.read_text(rel)
    return (snapshot.root / rel).read_text(encoding="utf-8")


def discover(snapshot: Snapshot, top: str = "") -> tuple[list[Candidate], list[Message]]:
    """Every Application, ApplicationSet and AppProject in the files below `top`."""
    candidates: list[Candidate] = []
    messages: list[Message] = []
    for rel, link in _manifest_entries(snapshot, top):
        try:
            text = _read(snapshot, rel, link)
        except Exception:
            continue
        if "argoproj.io" not in text:
            continue
        try:
            docs = snapshot.parsed.load_all(text, rel) if not rel.endswith(".json") else [
                yamlio.load_json_or_yaml(text, rel)]
        except YAMLError as exc:
            if "kind:" in text or '"kind"' in text:
                messages.append(Message("error", str(exc)))
            continue
        for index, doc in enumerate(docs):
            kind = argo_kind(doc)
            if kind is not None:
                candidates.append(Candidate(rel, index, kind, doc))
    return candidates, messages
