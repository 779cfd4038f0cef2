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
    start = snapshot.resolve(top)
    if start.is_file():
        return [snapshot.relpath(start)]
    files: list[str] = []
    chart_dirs: set[Path] = set()
    for folder, dirs, names in os.walk(start):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        here = Path(folder)
        if "Chart.yaml" in names:
            chart_dirs.add(here)
        if _is_chart_template(here, chart_dirs):
            continue
        for name in sorted(names):
            if name.endswith((".yaml", ".yml", ".json")):
                files.append(snapshot.relpath(here / name))
    return files


def discover(snapshot: Snapshot, top: str = "") -> tuple[list[Candidate], list[Message]]:
    """Every Application, ApplicationSet and AppProject in the files below `top`."""
    candidates: list[Candidate] = []
    messages: list[Message] = []
    for rel in manifest_files(snapshot, top):
        try:
            text = snapshot.read_text(rel)
        except Exception:
            continue
        if "argoproj.io" not in text:
            continue
        try:
            docs = yamlio.load_all(text, rel) if not rel.endswith(".json") else [
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
