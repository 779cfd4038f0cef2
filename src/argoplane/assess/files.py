"""The repository's files as the assessment sees them: the listing and the documentation."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from argoplane.core.errors import ArgoplaneError
from argoplane.core.snapshot import Snapshot

SKIP_DIRS = frozenset({".git", "node_modules", ".argoplane", ".venv", "__pycache__"})
DOC_SUFFIXES = (".md", ".markdown", ".rst", ".adoc", ".txt")
DOC_FOLDERS = frozenset({"docs", "doc", "documentation"})


@dataclass(frozen=True)
class DocFile:
    path: str
    lines: int

    @property
    def is_readme(self) -> bool:
        return os.path.basename(self.path).lower().startswith("readme")


def list_files(snapshot: Snapshot) -> list[str]:
    """Every repo-relative file, in sorted walk order, without VCS and cache folders."""
    out: list[str] = []
    for folder, dirs, names in os.walk(snapshot.root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(names):
            out.append(snapshot.relpath(Path(folder) / name))
    return out


def doc_files(snapshot: Snapshot, files: list[str]) -> list[DocFile]:
    docs: list[DocFile] = []
    for rel in files:
        base = os.path.basename(rel).lower()
        parts = rel.split("/")
        in_docs = any(p.lower() in DOC_FOLDERS for p in parts[:-1])
        if not (base.startswith("readme") or (in_docs and base.endswith(DOC_SUFFIXES))):
            continue
        if not base.endswith(DOC_SUFFIXES) and "." in base:
            continue
        try:
            text = snapshot.read_text(rel)
        except ArgoplaneError:
            continue
        docs.append(DocFile(rel, sum(1 for line in text.splitlines() if line.strip())))
    return docs
