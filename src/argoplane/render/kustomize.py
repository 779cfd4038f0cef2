"""Kustomize sources, built by the `kustomize` binary or `kubectl kustomize` when on PATH."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from argoplane.core import command, yamlio
from argoplane.core.errors import PathEscapeError

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_PATH_FIELDS = ("resources", "bases", "components", "crds")


def kustomize_command() -> list[str] | None:
    """How to run `kustomize build`, or None when neither kustomize nor kubectl is installed."""
    if (binary := shutil.which("kustomize")) is not None:
        return [binary, "build"]
    if (kubectl := shutil.which("kubectl")) is not None:
        return [kubectl, "kustomize"]
    return None


def _kustomization(folder: Path) -> Path | None:
    return next((folder / n for n in KUSTOMIZATION_FILES if (folder / n).is_file()), None)


def check_paths(folder: Path, repo_root: Path, seen: set[Path] | None = None) -> None:
    """Refuse a kustomization that reads files outside the repository."""
    seen = seen if seen is not None else set()
    if folder in seen:
        return
    seen.add(folder)
    kfile = _kustomization(folder)
    if kfile is None:
        return
    data = yamlio.load(kfile.read_text(encoding="utf-8"), str(kfile)) or {}
    if not isinstance(data, dict):
        return
    entries: list[str] = []
    for field in _PATH_FIELDS:
        entries += [e for e in data.get(field) or [] if isinstance(e, str)]
    for patch in data.get("patches") or []:
        if isinstance(patch, dict) and isinstance(patch.get("path"), str):
            entries.append(patch["path"])
    entries += [e for e in data.get("patchesStrategicMerge") or [] if isinstance(e, str)]
    for entry in entries:
        if "://" in entry or entry.startswith(("github.com/", "git@")):
            continue  # remote bases are fetched by kustomize itself
        target = (folder / entry).resolve()
        if target != repo_root and repo_root not in target.parents:
            raise PathEscapeError(f"kustomization {kfile.name} in {folder.name} refers to "
                                  f"{entry!r}, which is outside the repository")
        if target.is_dir():
            check_paths(target, repo_root, seen)


def build(folder: Path, repo_root: Path, argv: list[str]) -> list[dict[str, Any]]:
    check_paths(folder.resolve(), repo_root)
    out = command.run([*argv, str(folder)], cwd=folder).stdout
    docs = yamlio.load_all(out, f"kustomize build {folder.name}")
    return [d for d in docs if isinstance(d, dict)]
