"""`argoplane diff -o json`: every change, for machines."""

from __future__ import annotations

from typing import Any

from argoplane.core import jsonio
from argoplane.diff.model import AppChange, ResourceChange, Side, TreeDiff


def _side(side: Side) -> dict[str, Any]:
    return {"label": side.label, "revision": side.revision, "commit": side.commit}


def _resource(change: ResourceChange) -> dict[str, Any]:
    return {
        "action": change.action,
        "apiVersion": change.api_version,
        "kind": change.kind,
        "namespace": change.namespace,
        "name": change.name,
        "app": change.app,
        "from_app": change.from_app,
        "secret_keys_changed": list(change.secret_keys),
        "diff": change.diff,
    }


def _app(app: AppChange) -> dict[str, Any]:
    return {
        "name": app.name,
        "action": app.action,
        "project": app.project,
        "parent": app.parent,
        "generated_by": app.generated_by,
        "fields_changed": app.fields,
        "spec_diff": app.spec_diff,
        "status": {"base": app.status[0], "head": app.status[1]} if app.status else None,
        "errors": app.errors,
        "resources": [_resource(r) for r in app.resources],
    }


def diff_data(diff: TreeDiff) -> dict[str, Any]:
    return {
        "base": _side(diff.base),
        "head": _side(diff.head),
        "changed": diff.changed,
        "applications": [_app(a) for a in diff.apps],
        "errors": {"base": diff.base_errors, "head": diff.head_errors},
        "summary": {
            "applications": {
                "added": len(diff.apps_with("added")),
                "removed": len(diff.apps_with("removed")),
                "changed": len(diff.apps_with("changed")),
                "unchanged": diff.unchanged,
            },
            "resources": diff.resource_counts(),
        },
    }


def diff_json(diff: TreeDiff) -> str:
    return jsonio.dumps(diff_data(diff))
