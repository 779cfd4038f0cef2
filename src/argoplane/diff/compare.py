"""RenderedTree x RenderedTree -> TreeDiff: a pure function over two renders."""

from __future__ import annotations

import difflib
import fnmatch
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from argoplane.argocd.objects import project_of
from argoplane.diff.model import AppChange, ResourceAction, ResourceChange, Side, TreeDiff
from argoplane.diff.normalize import comparable, mask_pair, to_yaml, without_tracking
from argoplane.render.model import RenderedApp, RenderedTree, Resource

Key = tuple[str, str, str, str, int]  # group, kind, namespace, name, occurrence


@dataclass(frozen=True)
class DiffOptions:
    context: int = 3  # lines of context around each change
    show_secrets: bool = False
    ignore_labels: tuple[str, ...] = ()  # tracking label keys (label tracking)
    app_glob: str | None = None


def unified(before: str, after: str, context: int) -> str:
    """The hunks of a unified diff (no file header lines), '' when equal."""
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), n=context,
                                      lineterm=""))
    return "\n".join(lines[2:])


def _yaml(obj: dict[str, Any] | None) -> str:
    return "" if obj is None else to_yaml(obj)


def _index(resources: list[Resource]) -> dict[Key, Resource]:
    out: dict[Key, Resource] = {}
    seen: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for r in resources:
        key = r.key()
        out[(*key, seen[key])] = r
        seen[key] += 1
    return out


class _Comparer:
    def __init__(self, options: DiffOptions) -> None:
        self.options = options

    def same(self, a: Resource, b: Resource) -> bool:
        labels = self.options.ignore_labels
        return comparable(a.manifest, labels) == comparable(b.manifest, labels)

    def change(self, action: ResourceAction, app: str, before: Resource | None,
               after: Resource | None, from_app: str | None = None) -> ResourceChange:
        labels = self.options.ignore_labels
        ref = after or before
        assert ref is not None
        old = without_tracking(before.manifest, labels) if before else None
        new = without_tracking(after.manifest, labels) if after else None
        masked_old, masked_new, secret_keys = mask_pair(old, new)
        if not self.options.show_secrets:
            old, new = masked_old, masked_new
        diff = ""
        if before is None or after is None or not self.same(before, after):
            diff = unified(_yaml(old), _yaml(new), self.options.context)
        return ResourceChange(
            action=action, app=app, api_version=ref.api_version, kind=ref.kind,
            namespace=ref.namespace, name=ref.name, diff=diff, from_app=from_app,
            secret_keys=secret_keys)


def _app_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The parts of an Application that differ: spec fields by name, and `metadata`."""
    fields: list[str] = []
    if before.get("metadata") != after.get("metadata"):
        fields.append("metadata")
    old, new = before.get("spec") or {}, after.get("spec") or {}
    if isinstance(old, dict) and isinstance(new, dict):
        fields += sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    elif old != new:
        fields.append("spec")
    return fields


def _errors(tree: RenderedTree) -> list[str]:
    lines = [f"{a.name}: {m.text}" for a in tree.apps for m in a.messages if m.level == "error"]
    lines += [f"{s.name}: {m.text}" for s in tree.appsets for m in s.messages
              if m.level == "error"]
    lines += [m.text for m in tree.messages if m.level == "error"]
    return lines


def _first_by_name(apps: list[RenderedApp]) -> dict[str, RenderedApp]:
    out: dict[str, RenderedApp] = {}
    for app in apps:
        out.setdefault(app.name, app)
    return out


def compare(base: RenderedTree, head: RenderedTree, options: DiffOptions | None = None,
            base_side: Side | None = None, head_side: Side | None = None) -> TreeDiff:
    """Applications added, removed and changed from `base` to `head`, with every resource
    added, removed, modified or moved between Applications."""
    options = options or DiffOptions()
    cmp = _Comparer(options)
    glob = options.app_glob

    def wanted(*apps: str) -> bool:
        return not glob or any(fnmatch.fnmatchcase(a, glob) for a in apps)

    before_apps, after_apps = _first_by_name(base.apps), _first_by_name(head.apps)
    names = [*after_apps, *(n for n in before_apps if n not in after_apps)]

    changes: dict[str, list[ResourceChange]] = defaultdict(list)
    removed: dict[Key, list[tuple[str, Resource]]] = defaultdict(list)
    added: dict[Key, list[tuple[str, Resource]]] = defaultdict(list)
    for name in names:
        old = _index(before_apps[name].resources) if name in before_apps else {}
        new = _index(after_apps[name].resources) if name in after_apps else {}
        for key, res in new.items():
            if key not in old:
                added[key].append((name, res))
            elif wanted(name) and not cmp.same(old[key], res):
                changes[name].append(cmp.change("modified", name, old[key], res))
        for key, res in old.items():
            if key not in new:
                removed[key].append((name, res))

    for key, gone in removed.items():
        came = added.get(key, [])
        if len(gone) == 1 and len(came) == 1:
            (src, before), (dst, after) = gone[0], came[0]
            del added[key]
            if wanted(src, dst):
                moved = cmp.change("moved", dst, before, after, from_app=src)
                changes[src].append(moved)
                changes[dst].append(moved)
            continue
        for name, res in gone:
            if wanted(name):
                changes[name].append(cmp.change("removed", name, res, None))
    for came in added.values():
        for name, res in came:
            if wanted(name):
                changes[name].append(cmp.change("added", name, None, res))

    result = TreeDiff(base=base_side or Side("base"), head=head_side or Side("head"),
                      base_errors=_errors(base), head_errors=_errors(head))
    for name in sorted(names):
        if not wanted(name):
            continue
        before_app, after_app = before_apps.get(name), after_apps.get(name)
        app = _app_change(name, before_app, after_app, changes.get(name, []), options)
        if app is None:
            result.unchanged += 1
        else:
            result.apps.append(app)
    return result


def _order(app: RenderedApp | None, other: RenderedApp | None,
           changes: list[ResourceChange]) -> list[ResourceChange]:
    """Resource changes in the order the Applications deploy them (HEAD first)."""
    position: dict[tuple[str, str, str], int] = {}
    for offset, source in ((0, app), (1_000_000, other)):
        if source is not None:
            for i, r in enumerate(source.resources):
                position.setdefault((r.kind, r.namespace, r.name), offset + i)
    return sorted(changes, key=lambda c: position.get((c.kind, c.namespace, c.name), 2_000_000))


def _app_change(name: str, before: RenderedApp | None, after: RenderedApp | None,
                resources: list[ResourceChange], options: DiffOptions) -> AppChange | None:
    ref = after or before
    assert ref is not None
    app = AppChange(name=name, action="changed", project=project_of(ref.manifest),
                    parent=ref.parent, generated_by=ref.generated_by,
                    errors=[m.text for m in (after.messages if after else [])
                            if m.level == "error"])
    old_manifest = without_tracking(before.manifest) if before else None
    new_manifest = without_tracking(after.manifest) if after else None
    if before is None:
        app.action = "added"
    elif after is None:
        app.action = "removed"
    if old_manifest is not None and new_manifest is not None:
        app.fields = _app_fields(old_manifest, new_manifest)
    if app.fields or app.action != "changed":
        app.spec_diff = unified(_yaml(old_manifest), _yaml(new_manifest), options.context)
    if before is not None and after is not None and before.status != after.status:
        app.status = (before.status, after.status)
    app.resources = _order(after, before, resources)
    if app.action == "changed" and not app.fields and not app.resources and app.status is None:
        return None
    return app
