"""`argoplane render` outputs: the JSON contract, a YAML stream, and a folder per app."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from argoplane.argocd.objects import Destination, project_of, sources_of, spec_of
from argoplane.core import jsonio, yamlio
from argoplane.core.files import write_atomic
from argoplane.render.model import RenderedApp, RenderedTree, Resource
from argoplane.report.mask import mask_secret


def _manifest(resource: Resource, show_secrets: bool) -> dict[str, Any]:
    return resource.manifest if show_secrets else mask_secret(resource.manifest)


def app_json(app: RenderedApp, show_secrets: bool = False) -> dict[str, Any]:
    spec = spec_of(app.manifest)
    sources = [dict(s) for s in sources_of(app.manifest)]
    return {
        "name": app.name,
        "namespace": str((app.manifest.get("metadata") or {}).get("namespace") or ""),
        "project": project_of(app.manifest),
        "parent": app.parent,
        "generated_by": app.generated_by,
        "file": app.file,
        "source": dict(spec["source"]) if isinstance(spec.get("source"), dict) else None,
        "sources": sources,
        "destination": dict(spec.get("destination") or {}),
        "sync_policy": spec.get("syncPolicy"),
        "status": app.status,
        "resources": [
            {
                "apiVersion": r.api_version,
                "kind": r.kind,
                "namespace": r.namespace,
                "name": r.name,
                "manifest": _manifest(r, show_secrets),
            }
            for r in app.resources
        ],
        "messages": [{"level": m.level, "text": m.text} for m in app.messages],
    }


def tree_json(tree: RenderedTree, apps: list[RenderedApp], show_secrets: bool = False) -> str:
    data = {
        "applications": [app_json(a, show_secrets) for a in apps],
        "applicationsets": [
            {
                "name": s.name,
                "parent": s.parent,
                "file": s.file,
                "status": s.status,
                "applications": s.applications,
                "messages": [{"level": m.level, "text": m.text} for m in s.messages],
            }
            for s in tree.appsets
        ],
        "projects": [
            {"name": name, "file": tree.project_files.get(name)} for name in sorted(tree.projects)
        ],
        "roots": tree.roots,
        "messages": [{"level": m.level, "text": m.text} for m in tree.messages],
        "summary": {
            "applications": len(apps),
            "resources": sum(len(a.resources) for a in apps),
            "errors": tree.errors,
            "warnings": tree.warnings,
        },
    }
    return jsonio.dumps(data)


def tree_yaml(apps: list[RenderedApp], show_secrets: bool = False) -> str:
    parts: list[str] = []
    for app in apps:
        for r in app.resources:
            parts.append(f"---\n# Source: {app.name}/{r.origin}\n"
                         + yamlio.dump(_manifest(r, show_secrets)))
    return "".join(parts)


def _safe(part: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", part) or "_"


def write_out_dir(out_dir: Path, apps: list[RenderedApp], show_secrets: bool = False) -> int:
    """One folder per app, one file per resource; each file written whole, then renamed."""
    written = 0
    for app in apps:
        folder = out_dir / _safe(app.name)
        folder.mkdir(parents=True, exist_ok=True)
        for r in app.resources:
            ns = f"{_safe(r.namespace)}_" if r.namespace else ""
            target = folder / f"{_safe(r.kind).lower()}_{ns}{_safe(r.name)}.yaml"
            write_atomic(target, yamlio.dump(_manifest(r, show_secrets)))
            written += 1
    return written


def destination_label(app: RenderedApp) -> str:
    return Destination.of(app.manifest).label()
