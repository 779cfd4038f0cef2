"""Phase projects: Applications leave the `default` project for AppProjects that allow exactly
the source repositories, destinations and cluster-scoped kinds they use.

Services get one AppProject per environment (their ApplicationSet's environment elements
carry it); before the environments phase, one per namespace group as `argoplane compare`
proposes; infrastructure gets `infrastructure`. Root Applications stay in `default`: they
deploy Argo CD's own objects. The AppProject manifests are the proposal's
(assess/proposal.py); existing AppProjects only gain entries.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from argoplane.argocd.projects import group_kind_permitted
from argoplane.assess.inventory import AppInfo
from argoplane.assess.practices import names
from argoplane.core import yamlio
from argoplane.core.errors import ArgoplaneError
from argoplane.layout import merge
from argoplane.layout.migrate import servicesets as sets
from argoplane.layout.migrate.model import PhasePlan, Skip
from argoplane.layout.migrate.roots import add_roots
from argoplane.layout.migrate.state import State
from argoplane.layout.roundtrip import Document
from argoplane.layout.yamltext import block

FOLDER = "argocd-projects"
HEADER = """\
# AppProject {name}, written by `argoplane migrate --phase projects`: the repositories,
# destinations and cluster-scoped kinds its Applications use, and nothing more.
"""


def _dns(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "services"


def _creates_namespace(a: AppInfo) -> bool:
    options = a.sync_policy.get("syncOptions") or []
    return any(str(o).replace(" ", "") == "CreateNamespace=true" for o in options)


def plan(state: State) -> PhasePlan:
    p = PhasePlan("projects")
    members: dict[str, list[AppInfo]] = defaultdict(list)
    mapping = state.proposer._projects_for(state.inventory.service_apps)
    moved = 0
    for s in state.sets:
        infos = [i for i in (state.info(a.name) for a in state.generated(s.name)) if i]
        if not infos or all(i.project != "default" for i in infos):
            continue
        doc = Document(state.text(s.file) or "", s.file)
        chosen: dict[str, str] = {}
        if s.axis is not None:
            axis = [{**point, "project": _dns(str(point["env"]))} for point in s.axis]
            sets.set_axis(doc.data, axis)
            for node in sets.services_seq(doc.data):
                node.pop("project", None)
            for svc in s.services:
                for point in axis:
                    chosen[s.app_name(svc, point)] = str(point["project"])
            what = "one AppProject per environment: " + ", ".join(
                dict.fromkeys(str(a["project"]) for a in axis))
        else:
            for node, svc in zip(sets.services_seq(doc.data), s.services, strict=True):
                name = s.app_name(svc)
                node["project"] = mapping.get(name, "services")
                chosen[name] = str(node["project"])
            what = "projects " + ", ".join(sorted(set(chosen.values())))
        sets.template_spec(doc.data)["project"] = "{{project}}"
        p.add(s.file, "update", doc.text(), what)
        for info in infos:
            members[chosen.get(info.name, info.project)].append(info)
        moved += len(infos)
    for a in state.inventory.workloads:
        if a.app.generated_by or a.project != "default":
            continue
        target = mapping.get(a.name) or ("infrastructure" if a.role == "infrastructure"
                                         else _dns(a.destination.namespace or "services"))
        reason = _edit_project(state, p, a, target)
        if reason:
            p.skipped.append(Skip(a.name, reason))
            continue
        members[target].append(a)
        moved += 1
    if not members:
        p.notes.append("every service and infrastructure Application uses an AppProject of "
                       "its own already")
        return p
    created = _write_projects(state, p, members)
    if created and state.inventory.roots and not _deployed(state, FOLDER):
        add_roots(state, p, {FOLDER: {f"{n}.yaml" for n in created}},
                  new_folders=frozenset({FOLDER}))
    p.title = (f"{moved} Applications leave the default project for "
               f"{len(members)} AppProject{'s' if len(members) != 1 else ''}: "
               + ", ".join(sorted(members)))
    if state.inventory.roots:
        p.notes.append("root Applications stay in the default project: they deploy Argo CD's "
                       "own objects")
    return p


def _deployed(state: State, folder: str) -> bool:
    return any(r.origin.startswith(folder + "/") for a in state.tree.apps for r in a.resources)


def _edit_project(state: State, p: PhasePlan, a: AppInfo, target: str) -> str | None:
    file = a.file or ""
    text = state.text(file)
    if not file or text is None:
        return "deployed by another Application's rendered output, not a file"
    try:
        docs = yamlio.load_all(text, file)
    except ArgoplaneError:
        return f"{file} is not valid YAML"
    if len(docs) != 1:
        return f"{file} also holds other manifests"
    doc = Document(text, file)
    spec = doc.data.get("spec")
    if not isinstance(spec, dict):
        return f"{file} has no spec"
    spec["project"] = target
    p.add(file, "update", doc.text(), f"project default -> {target}")
    return None


def _write_projects(state: State, p: PhasePlan, members: dict[str, list[AppInfo]]
                    ) -> list[str]:
    created: list[str] = []
    for name, apps in sorted(members.items()):
        infra = all(a.role == "infrastructure" for a in apps)
        namespaces = sorted({a.destination.namespace for a in apps})
        description = (f"Infrastructure: {names(sorted({a.component for a in apps}), 4)}"
                       if infra else f"Services in {names(namespaces, 4)}")
        manifest: dict[str, Any] = state.proposer._project(
            name, apps, any(_creates_namespace(a) for a in apps), description)
        file = state.tree.project_files.get(name)
        if name in state.tree.projects:
            text = state.text(file) if file else None
            if file is None or text is None:
                continue
            new, summary = merge.project_entries(manifest["spec"])(text, file)
            if new != text:
                p.add(file, "update", new, summary)
            continue
        file = f"{FOLDER}/{name}.yaml"
        if state.exists(file):
            p.skipped += [Skip(a.name, f"{file} exists but does not define AppProject {name}")
                          for a in apps]
            continue
        count = len(manifest["spec"]["destinations"])
        p.add(file, "create", HEADER.format(name=name) + block(manifest),
              f"{len(apps)} Application{'s' if len(apps) != 1 else ''}, {count} "
              f"destination{'s' if count != 1 else ''}")
        created.append(name)
    return created


def extend_projects(state: State, p: PhasePlan, destinations: Mapping[str, list[dict[str, str]]]
                    ) -> None:
    """AppProjects defined in the repository admit the destinations of new Applications
    (new environments' and regions' namespaces); entries are added, never removed."""
    for project, wanted in sorted(destinations.items()):
        file = state.tree.project_files.get(project)
        text = state.text(file) if file else None
        if project == "default" or file is None or text is None:
            continue
        unique = list({tuple(sorted(d.items())): d for d in wanted}.values())
        new, summary = merge.project_entries({"sourceRepos": [], "destinations": unique})(
            text, file)
        if new != text:
            p.add(file, "update", new, summary)


def allow_namespaces(state: State, p: PhasePlan, projects: list[str]) -> None:
    """AppProjects defined in the repository permit the Namespaces that CreateNamespace=true
    creates for their Applications."""
    for name in sorted(set(projects) - {"default"}):
        spec = (state.tree.projects.get(name) or {}).get("spec")
        file = state.tree.project_files.get(name)
        text = state.text(file) if file else None
        if not isinstance(spec, Mapping) or file is None or text is None or \
                group_kind_permitted(spec, "", "Namespace", "", False):
            continue
        doc = Document(text, file)
        node = doc.data.get("spec")
        if not isinstance(node, CommentedMap):
            continue
        whitelist = node.get("clusterResourceWhitelist")
        if not isinstance(whitelist, CommentedSeq):
            whitelist = CommentedSeq()
            node["clusterResourceWhitelist"] = whitelist
        whitelist.append(CommentedMap([("group", ""), ("kind", "Namespace")]))
        p.add(file, "update", doc.text(), "clusterResourceWhitelist: + Namespace (for "
              "CreateNamespace=true)")
