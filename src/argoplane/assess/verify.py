"""Prove a proposal: apply it to a copy of the repository, render the copy, compare.

Every Application the proposal generates must render exactly the resources the Application
it replaces rendered before, and its AppProject must allow its source, its destination and
every kind it deploys, as Argo CD checks them.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from argoplane.argocd.kinds import is_namespaced
from argoplane.argocd.objects import Destination, argo_kind, project_of, sources_of
from argoplane.argocd.projects import destination_permitted, group_kind_permitted, source_permitted
from argoplane.assess.model import Plan, Verification
from argoplane.core import yamlio
from argoplane.core.config import CONFIG_FILE
from argoplane.core.errors import ArgoplaneError
from argoplane.core.snapshot import Snapshot
from argoplane.render.model import RenderedApp, RenderedTree
from argoplane.render.tree import RenderOptions, render_repository

_IGNORE = shutil.ignore_patterns(".git")


def _apply(root: Path, plan: Plan) -> None:
    for f in plan.files:
        path = root / f.path
        if f.action == "create":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f.content, encoding="utf-8")
        elif f.action == "delete":
            path.unlink(missing_ok=True)
        elif f.action == "edit":
            change = yamlio.load(f.content, f.path)
            docs = yamlio.load_all(path.read_text(encoding="utf-8"), f.path)
            for doc in docs:
                if isinstance(doc, dict) and isinstance(change, Mapping):
                    _merge(doc, change)
            path.write_text(yamlio.dump_all(docs), encoding="utf-8")


def _merge(target: dict[str, Any], change: Mapping[str, Any]) -> None:
    for key, value in change.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def _pin_repo_urls(source: Snapshot, root: Path) -> None:
    """The copy has no Git remotes: name the original's repoURLs in its .argoplane.yaml."""
    urls = sorted(source.repo_urls)
    if not urls or set(urls) == set(source.config.repo_urls):
        return
    path = root / CONFIG_FILE
    data = yamlio.load(path.read_text(encoding="utf-8"), CONFIG_FILE) if path.is_file() else {}
    data = data if isinstance(data, dict) else {}
    data["repoURLs"] = urls
    path.write_text(yamlio.dump(data), encoding="utf-8")


def _resources(app: RenderedApp) -> list[str]:
    """What an Application deploys to the cluster, leaving out the Argo CD objects (those are
    what a proposal changes on purpose)."""
    return sorted(json.dumps(r.manifest, sort_keys=True, default=str) for r in app.resources
                  if argo_kind(r.manifest) is None)


def _permission_problems(tree: RenderedTree, app: RenderedApp) -> list[str]:
    project = project_of(app.manifest)
    spec = (tree.projects.get(project) or {}).get("spec")
    if project == "default":
        return []
    if not isinstance(spec, Mapping):
        return [f"{app.name}: AppProject {project} is not defined"]
    problems = []
    for source in sources_of(app.manifest):
        url = str(source.get("repoURL") or "")
        if url and not source_permitted([str(r) for r in spec.get("sourceRepos") or []], url):
            problems.append(f"{app.name}: AppProject {project} does not allow source {url}")
    dest = Destination.of(app.manifest)
    if not destination_permitted(list(spec.get("destinations") or []), dest.server, dest.name,
                                 dest.namespace):
        problems.append(f"{app.name}: AppProject {project} does not allow destination "
                        f"{dest.label()}")
    for r in app.resources:
        namespaced = is_namespaced(r.group, r.kind)
        if not group_kind_permitted(spec, r.group, r.kind, r.name, namespaced):
            problems.append(f"{app.name}: AppProject {project} does not allow "
                            f"{r.kind} {r.name}")
    return problems


def verify(snapshot: Snapshot, before: RenderedTree, plan: Plan,
           options: RenderOptions | None = None) -> Verification:
    if not plan.files:
        return Verification(ok=True)
    with tempfile.TemporaryDirectory(prefix="argoplane-proposal-") as tmp:
        root = Path(tmp) / snapshot.root.name
        shutil.copytree(snapshot.root, root, ignore=_IGNORE, symlinks=True)
        try:
            _apply(root, plan)
            _pin_repo_urls(snapshot, root)
            after = render_repository(Snapshot.open(root), options or RenderOptions())
        except ArgoplaneError as exc:
            return Verification(ok=False, problems=[f"the proposal does not render: {exc}"])
    old = {a.name: a for a in before.apps}
    problems: list[str] = []
    compared = [a for a in after.apps if a.name in old]
    identical = 0
    for app in compared:
        if _resources(app) == _resources(old[app.name]):
            identical += 1
        else:
            problems.append(f"{app.name}: renders different resources than before")
    generated = [a for a in compared if a.generated_by and not old[a.name].generated_by]
    if any(r.practice == "app-of-apps" for r in plan.recommendations if r.verified):
        problems += [f"{a.name}: no root Application deploys it" for a in after.apps
                     if a.parent is None and (a.name not in after.roots
                                              or (a.name in old and not a.children))]
    for app in after.apps:
        problems += _permission_problems(after, app)
        problems += [f"{app.name}: {m.text}" for m in app.messages if m.level == "error"]
    problems += [f"{s.name}: {m.text}" for s in after.appsets for m in s.messages
                 if m.level == "error"]
    problems += [m.text for m in after.messages if m.level == "error"]
    problems += [f"{name}: no longer deployed" for name in sorted(set(old) - {
        a.name for a in after.apps})]
    return Verification(ok=not problems, applications=len(compared), identical=identical,
                        resources=sum(len(_resources(a)) for a in compared),
                        generated=len(generated), roots=list(after.roots), problems=problems)
