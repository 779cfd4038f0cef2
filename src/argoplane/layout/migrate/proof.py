"""The proof: the migrated repository rendered and compared with the original for the
environment deployed today. Every Kubernetes resource must come out identical, whichever
Application deploys it now, except the changes the migration means to make (Applications
renamed, a namespace per service when asked for, Secrets sealed); anything else is an
unintended difference, and `--apply` writes nothing.

The comparison is `argoplane diff`'s (diff/compare.py) over the original render and the
migrated one restricted to today's Applications (under their new names) and the roots;
Applications of new environments are counted, checked to render, and never collide with
today's resources.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from argoplane.argocd.objects import ARGO_GROUP, ARGO_KINDS, Destination
from argoplane.checks.engine import lint
from argoplane.checks.registry import RULES
from argoplane.checks.rules import secret_storage
from argoplane.checks.settings import load_settings
from argoplane.core.snapshot import Snapshot
from argoplane.diff.compare import DiffOptions, compare, unified
from argoplane.diff.model import ResourceChange, Side
from argoplane.diff.normalize import comparable, mask_pair, to_yaml
from argoplane.layout.migrate.model import Difference, Intended, PhasePlan, Proof
from argoplane.render.model import RenderedApp, RenderedTree, Resource
from argoplane.secrets import sealed as sealing

SKIPPED_RULES = frozenset({"AP017", *(r.id for r in secret_storage.RULES)})


@dataclass
class Intents:
    """What the phases so far mean to change, keyed by the original Application names."""

    names: dict[str, str] = field(default_factory=dict)  # original -> its name now
    namespaces: dict[str, tuple[str, str]] = field(default_factory=dict)  # (before, now)
    sealed: set[tuple[str, str]] = field(default_factory=set)  # Secrets now sealed

    @classmethod
    def start(cls, tree: RenderedTree) -> Intents:
        return cls(names={a.name: a.name for a in tree.apps})

    def advance(self, plan: PhasePlan) -> None:
        back = {now: original for original, now in self.names.items()}
        for app, (old, new) in plan.namespaces.items():
            original = back.get(app, app)
            first = self.namespaces.get(original, (old, old))[0]
            self.namespaces[original] = (first, new)
        for before, after in plan.renames.items():
            self.names[back.get(before, before)] = after
        self.sealed |= plan.sealed


def _argo(group: str, kind: str) -> bool:
    return group == ARGO_GROUP and kind in ARGO_KINDS


def _group(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def _own(app: RenderedApp) -> list[Resource]:
    """What an Application deploys besides Argo CD's own objects."""
    return [r for r in app.resources if not _argo(r.group, r.kind)]


def _is_root(app: RenderedApp) -> bool:
    return bool(app.children or app.resources) and not _own(app)


def _first_error(app: RenderedApp) -> str:
    return next((m.text for m in app.messages if m.level == "error"), app.status)


def _cluster(app: RenderedApp) -> str:
    dest = Destination.of(app.manifest)
    return dest.name or dest.server


def _collisions(tree: RenderedTree) -> set[str]:
    owners: dict[tuple[str, str, str, str, str], list[str]] = defaultdict(list)
    for app in tree.apps:
        for r in _own(app):
            owners[(_cluster(app), *r.key())].append(app.name)
    return {f"{key[2]} {key[3] + '/' if key[3] else ''}{key[4]} is deployed by "
            f"{' and '.join(sorted(set(apps)))}" for key, apps in owners.items() if len(apps) > 1}


def _find(app: RenderedApp | None, change: ResourceChange) -> Resource | None:
    if app is None:
        return None
    return next((r for r in app.resources if r.kind == change.kind and r.name == change.name
                 and r.namespace == change.namespace
                 and r.api_version == change.api_version), None)


def _spec_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    old, new = before.get("spec") or {}, after.get("spec") or {}
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ["spec"] if old != new else []
    # an empty field means what an absent one does (`syncPolicy: {}` is manual sync)
    return sorted(k for k in set(old) | set(new) if (old.get(k) or None) != (new.get(k) or None))


class _Prover:
    def __init__(self, before: RenderedTree, after: RenderedTree, intents: Intents,
                 environment: str, labels: tuple[str, ...], lint_errors: tuple[set[str], set[str]]
                 ) -> None:
        self.before, self.after, self.intents = before, after, intents
        self.before_errors, self.after_errors = lint_errors
        self.labels = labels
        self.proof = Proof(environment=environment)
        self.by_name = {a.name: a for a in after.apps}

    def differ(self, text: str, diff: str = "") -> None:
        self.proof.unintended.append(Difference(text, diff))

    def intend(self, kind: str, text: str, count: int = 1) -> None:
        self.proof.intended.append(Intended(kind, text, count))

    def run(self) -> Proof:
        before, after, names = self.before, self.after, self.intents.names
        current = {names.get(a.name, a.name) for a in before.apps}
        kept = [a for a in after.apps if a.name in current or _is_root(a)]
        new = [a for a in after.apps if a.name not in current and not _is_root(a)]
        view = RenderedTree(after.repo, list(after.roots), kept, list(after.appsets),
                            dict(after.projects), dict(after.project_files),
                            list(after.messages))
        diff = compare(before, view, DiffOptions(ignore_labels=self.labels),
                       Side("original"), Side("migrated"))
        self.proof.diff = diff
        self.proof.applications = len(before.apps)
        self.proof.resources = sum(len(_own(a)) for a in before.apps)
        self._applications(new)
        touched = self._resources(diff.resources())
        self.proof.identical = self.proof.resources - touched
        self._argo_objects()
        for problem in sorted(_collisions(after) - _collisions(before)):
            self.differ(problem)
        renamed = sorted(((now, old) for old, now in names.items() if now != old),
                         key=lambda pair: -len(pair[0]))
        for error in sorted(self.after_errors):
            known = error
            for now, old in renamed:
                known = known.replace(now, old)
            if known not in self.before_errors:
                self.differ(f"lint: {error}")
        return self.proof

    # -- Applications ------------------------------------------------------------------------
    def _applications(self, new: list[RenderedApp]) -> None:
        renamed: list[str] = []
        fields: Counter[str] = Counter()
        generated: Counter[str] = Counter()
        parents: Counter[str] = Counter()
        for old in self.before.apps:
            name = self.intents.names.get(old.name, old.name)
            app = self.by_name.get(name)
            if app is None:
                suffix = f" (expected as {name})" if name != old.name else ""
                self.differ(f"Application {old.name}: no longer deployed{suffix}")
                continue
            if name != old.name:
                renamed.append(f"{old.name} -> {name}")
            if app.status != old.status:
                self.differ(f"Application {name}: {old.status} before, {app.status} now: "
                            f"{_first_error(app)}")
            if old.parent and not app.parent:
                self.differ(f"Application {name}: no root Application deploys it any more "
                            f"(before: {old.parent})")
            if app.parent and not old.parent:
                parents[app.parent] += 1
            if app.generated_by and app.generated_by != old.generated_by:
                generated[app.generated_by] += 1
            for key in _spec_fields(old.manifest, app.manifest):
                fields[key] += 1
        if renamed:
            shown = ", ".join(renamed[:3]) + (", ..." if len(renamed) > 3 else "")
            self.intend("Application", f"renamed: {shown}", len(renamed))
        for appset, count in sorted(generated.items()):
            self.intend("Application", f"now generated by ApplicationSet {appset}", count)
        for parent, count in sorted(parents.items()):
            self.intend("Application", f"now deployed by the root Application {parent}", count)
        for key, count in sorted(fields.items()):
            self.intend("Application", f"spec.{key} changed", count)
        for app in new:
            if app.status == "error":
                self.differ(f"Application {app.name} (new): does not render: {_first_error(app)}")
        self.proof.added_apps = [a.name for a in new]
        self.proof.added_resources = dict(sorted(Counter(
            r.kind for a in new for r in _own(a)).items()))
        old_errors = {m.text for m in self.before.messages if m.level == "error"}
        for message in self.after.messages:
            if message.level == "error" and message.text not in old_errors:
                self.differ(message.text)
        old_sets = {s.name: s for s in self.before.appsets}
        for s in self.after.appsets:
            for m in s.messages:
                if m.level == "error" and (s.name not in old_sets or m not in
                                           old_sets[s.name].messages):
                    self.differ(f"ApplicationSet {s.name}: {m.text}")

    def _argo_objects(self) -> None:
        old_sets = {s.name: s.manifest for s in self.before.appsets}
        added = [s.name for s in self.after.appsets if s.name not in old_sets]
        changed = [s.name for s in self.after.appsets
                   if s.name in old_sets and old_sets[s.name] != s.manifest]
        gone = [n for n in old_sets if n not in {s.name for s in self.after.appsets}]
        for what, items in (("added", added), ("changed", changed), ("removed", gone)):
            if items:
                self.intend("ApplicationSet", f"{what}: {', '.join(items)}", len(items))
        projects = [n for n in self.after.projects if n not in self.before.projects]
        if projects:
            self.intend("AppProject", f"added: {', '.join(sorted(projects))}", len(projects))
        changed_projects = [n for n, p in self.after.projects.items()
                            if n in self.before.projects and self.before.projects[n] != p]
        if changed_projects:
            self.intend("AppProject", f"changed: {', '.join(sorted(changed_projects))}",
                        len(changed_projects))

    # -- resources ---------------------------------------------------------------------------
    def _resources(self, changes: Iterable[ResourceChange]) -> int:
        """Classify every resource change; returns how many of the original's resources are
        not deployed exactly as before."""
        touched = 0
        removed: list[ResourceChange] = []
        added: list[ResourceChange] = []
        roots: Counter[tuple[str, str]] = Counter()
        for change in changes:
            if _argo(_group(change.api_version), change.kind):
                roots[(change.kind, change.action)] += 1
            elif change.action == "moved" and not change.diff:
                continue
            elif change.action in ("moved", "modified"):
                touched += 1
                self.differ(f"{change.title} ({change.app}): deployed differently", change.diff)
            elif change.action == "removed":
                removed.append(change)
            else:
                added.append(change)
        for (kind, action), count in sorted(roots.items()):
            self.intend(kind, f"{action} in the output of root Applications", count)
        touched += self._pair(removed, added)
        return touched

    def _pair(self, removed: list[ResourceChange], added: list[ResourceChange]) -> int:
        names = self.intents.names
        left = list(added)
        moves: Counter[str] = Counter()
        touched = 0
        for gone in removed:
            touched += 1
            new_name = names.get(gone.app, gone.app)
            match = self._namespace_move(gone, left, new_name) or self._sealed(gone, left,
                                                                               new_name)
            if match is None:
                self.differ(f"{gone.title} ({gone.app}): no longer deployed", gone.diff)
                continue
            left.remove(match[0])
            if match[1]:
                moves[match[1]] += 1
        for kind, count in sorted(moves.items()):
            self.intend(kind, "moved to the namespace of its service", count)
        for came in left:
            self.differ(f"{came.title} ({came.app}): deployed only now", came.diff)
        return touched

    def _namespace_move(self, gone: ResourceChange, candidates: list[ResourceChange],
                        app: str) -> tuple[ResourceChange, str] | None:
        move = self.intents.namespaces.get(gone.app)
        if move is None or move[0] != gone.namespace:
            return None
        came = next((c for c in candidates if c.app == app and c.kind == gone.kind
                     and c.name == gone.name and c.namespace == move[1]
                     and c.api_version == gone.api_version), None)
        if came is None:
            return None
        old = _find(self.before.app(gone.app), gone)
        new = _find(self.by_name.get(app), came)
        if old is None or new is None:
            return None
        left = comparable(_renamespaced(old.manifest, move[1]), self.labels)
        right = comparable(new.manifest, self.labels)
        if left != right:
            masked_old, masked_new, _ = mask_pair(left, right)
            self.differ(f"{came.title} ({app}): moved to namespace {move[1]} and changed",
                        unified(to_yaml(masked_old), to_yaml(masked_new), 3))
        return came, gone.kind

    def _sealed(self, gone: ResourceChange, candidates: list[ResourceChange], app: str
                ) -> tuple[ResourceChange, str] | None:
        if gone.kind != "Secret" or (gone.namespace, gone.name) not in self.intents.sealed:
            return None
        came = next((c for c in candidates if c.app == app and c.kind == "SealedSecret"
                     and c.name == gone.name and c.namespace == gone.namespace), None)
        old = _find(self.before.app(gone.app), gone)
        new = _find(self.by_name.get(app), came) if came is not None else None
        if came is None or old is None or new is None:
            return None
        keys = sorted(sealing.secret_items(old.manifest, old.origin))
        have = sorted(sealing.encrypted_data(new.manifest))
        if keys != have:
            self.differ(f"SealedSecret {gone.namespace}/{gone.name} ({app}): seals "
                        f"{', '.join(have)} but the Secret held {', '.join(keys)}")
        else:
            self.intend("Secret", f"{gone.namespace}/{gone.name} becomes a SealedSecret "
                        f"(keys: {', '.join(keys)})")
        return came, ""


def _renamespaced(manifest: dict[str, Any], namespace: str) -> dict[str, Any]:
    meta = manifest.get("metadata")
    if not isinstance(meta, dict) or "namespace" not in meta:
        return manifest
    return {**manifest, "metadata": {**meta, "namespace": namespace}}


def lint_errors(tree: RenderedTree, snapshot: Snapshot) -> set[str]:
    """What `argoplane lint` reports at error level about Applications, AppProjects, value
    files and resources, one line each. Left out: the Kubernetes schemas (the migration does
    not change what the manifests are) and the scan of every file for leaked keys (it does
    not write any)."""
    rules = [r for r in RULES.values() if r.id not in SKIPPED_RULES]
    report, _ = lint(tree, snapshot, load_settings(snapshot.config, RULES),
                     clusters=snapshot.config.clusters, repo=str(snapshot.root), rules=rules)
    return {f"{f.rule} {f.message}" for f in report.findings if f.level == "error"}


def prove(before: RenderedTree, after: RenderedTree, intents: Intents, environment: str,
          labels: tuple[str, ...] = (),
          lint_errors: tuple[set[str], set[str]] = (set(), set())) -> Proof:
    """`lint_errors`: the original's and the migrated repository's; only new ones count."""
    return _Prover(before, after, intents, environment, labels, lint_errors).run()
