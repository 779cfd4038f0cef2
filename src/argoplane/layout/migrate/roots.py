"""Phase app-of-apps: root Applications that deploy what is applied by hand today: the
ApplicationSets, the Applications no other Application deploys and the AppProjects, one root
per folder (a directory source with include globs, automated sync).

The root manifests are the ones `argoplane compare` proposes (assess/proposal.py).
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict

from argoplane.argocd.objects import APP_PROJECT, argo_kind
from argoplane.assess.inventory import AppInfo
from argoplane.layout.migrate.model import PhasePlan
from argoplane.layout.migrate.state import State
from argoplane.layout.yamltext import block

HEADER = """\
# Root Application (App of Apps), written by `argoplane migrate --phase app-of-apps`:
# it deploys the manifests of {folder} that match the include glob, so a new file
# there is deployed without kubectl. Apply this one file once:
#   kubectl apply -n {namespace} -f {file}
"""


def _dns(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "repo"


def loose(state: State) -> dict[str, set[str]]:
    """Folder -> file names of the manifests that nothing deploys: Applications (not roots
    themselves), ApplicationSets and AppProjects."""
    out: dict[str, set[str]] = defaultdict(set)
    for a in state.inventory.apps:
        if a.role != "app-of-apps" and a.app.parent is None and a.app.file \
                and not a.app.generated_by:
            out[posixpath.dirname(a.app.file)].add(posixpath.basename(a.app.file))
    for s in state.tree.appsets:
        if s.parent is None and s.file:
            out[posixpath.dirname(s.file)].add(posixpath.basename(s.file))
    deployed = {r.name for a in state.tree.apps for r in a.resources
                if argo_kind(r.manifest) == APP_PROJECT}
    for name, file in state.tree.project_files.items():
        if name not in deployed and state.exists(file):
            out[posixpath.dirname(file)].add(posixpath.basename(file))
    return dict(out)


def _like(state: State) -> AppInfo | None:
    """An Application whose repository and revision the roots follow."""
    for group in (state.inventory.service_apps, state.inventory.workloads):
        for a in group:
            if a.source_type in {"helm", "directory"}:
                return a
    return None


def add_roots(state: State, p: PhasePlan, folders: dict[str, set[str]],
              new_folders: frozenset[str] = frozenset()) -> list[str]:
    """One root per folder; `new_folders` hold only files this phase creates (the root takes
    every YAML file there). Returns the roots' names."""
    like = _like(state)
    if like is None:
        p.notes.append("no Application of this repository to take the repository URL from; "
                       "no root written")
        return []
    infra = {a.file for c in state.inventory.infrastructure for a in c.apps if a.file}
    projects = set(state.tree.project_files.values())
    taken = {a.name for a in state.tree.apps} | {s.name for s in state.tree.appsets}
    namespace = state.snapshot.config.argocd_namespace
    names: list[str] = []
    for folder, found in sorted(folders.items()):
        paths = {posixpath.join(folder, f) for f in found}
        kind = ("infrastructure" if paths <= infra else "projects" if paths <= projects
                or folder in new_folders else "services")
        name = f"root-{kind}"
        if name in taken:
            name = f"root-{_dns(folder)}"
        if name in taken or state.exists(f"{name}.yaml"):
            p.notes.append(f"{folder or 'the repository root'}: no root written, "
                           f"{name} exists already")
            continue
        taken.add(name)
        if folder in new_folders:
            include = ["*.yaml"]
        elif not folder:
            include = sorted(found)  # never `*.yaml` next to the root itself
        else:
            include = state.proposer._include(folder, sorted(found))
        manifest = state.proposer._root(name, folder, include, like)
        file = f"{name}.yaml"
        header = HEADER.format(folder=folder or "the repository root", namespace=namespace,
                               file=file)
        p.add(file, "create", header + block(manifest),
              f"deploys {folder or '.'}/{manifest['spec']['source']['directory']['include']}")
        names.append(name)
    return names


def plan(state: State) -> PhasePlan:
    p = PhasePlan("app-of-apps")
    folders = loose(state)
    if not folders:
        p.notes.append("every Application, ApplicationSet and AppProject is deployed by a root "
                       "Application already")
        return p
    names = add_roots(state, p, folders)
    if names:
        count = sum(len(files) for files in folders.values())
        roots = (f"{len(names)} root Applications ({', '.join(names)}) deploy" if len(names) > 1
                 else f"the root Application {names[0]} deploys")
        p.title = f"{roots} the {count} manifests applied by hand today"
    return p
