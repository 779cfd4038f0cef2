"""Phase environments: every service ApplicationSet fans out over the environments.

`values.yaml` stays the base every environment shares; each environment gets
`<env>/values.yaml` (its overrides, empty to begin with) and `<env>/tag.yaml` (the image tag,
moved out of the values). The first environment is the one deployed today: its Applications
are renamed `<service>-<env>` but keep their Helm release name (`releaseName`), namespace
and values, so they deploy exactly what they deployed before. The other environments get the
namespace of today with `-<env>` appended.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from argoplane.argocd.templating.fasttemplate import replace as fill
from argoplane.assess.images import tag_place
from argoplane.layout.migrate import servicesets as sets
from argoplane.layout.migrate.appsets import unsafe
from argoplane.layout.migrate.model import NeedsPhase, PhasePlan, Skip
from argoplane.layout.migrate.projects import extend_projects
from argoplane.layout.migrate.servicesets import ServiceSet
from argoplane.layout.migrate.state import State
from argoplane.layout.migrate.valuefiles import LeafPath, lookup, nested, remove_leaves, tag_path
from argoplane.layout.migrate.valuefiles import text_of as value_file
from argoplane.layout.roundtrip import Document

TAG_FILE = "{{env}}/tag.yaml"
VALUES_FILE = "{{env}}/values.yaml"


def needs_sets(state: State, phase: str, what: str) -> None:
    """A phase that grows ApplicationSets, run on services that are still individual
    Applications: say which phase comes first."""
    waiting = state.individual_services()
    if waiting and not state.sets:
        raise NeedsPhase(
            f"the {phase} phase {what}, and the {len(waiting)} services are individual "
            "Applications: run `argoplane migrate --phase appsets --apply` first (or "
            "--phase all)")


def plan(state: State) -> PhasePlan:
    p = PhasePlan("environments")
    needs_sets(state, "environments", "fans out ApplicationSets")
    for name, reason in sorted(state.foreign.items()):
        p.notes.append(f"ApplicationSet {name} is left as it is: {reason}")
    p.skipped += [Skip(a.name, unsafe(state, a) or "an individual Application; the appsets "
                       "phase comes first") for a in state.individual_services()]
    todo = [s for s in state.sets if s.axis is None]
    done = [s for s in state.sets if s.axis is not None]
    for s in done:
        p.notes.append(f"ApplicationSet {s.name} fans out over {', '.join(s.envs)} already")
    fanned = [s.name for s in todo if _fan_out(state, p, s)]
    if fanned:
        envs = state.options.envs
        p.title = (f"{', '.join(fanned)} fan{'s' if len(fanned) == 1 else ''} out over "
                   f"{', '.join(envs)}; {envs[0]} is the environment deployed today")
        kept = f"{envs[0]} keeps today's namespaces, values and Helm release names"
        others = ", ".join(f"{e} gets <namespace>-{e}" for e in envs[1:])
        p.notes.append(f"{kept}; {others} (the ns_suffix of each environment element)"
                       if others else kept)
        infra = sorted(c.name for c in state.inventory.infrastructure)
        if infra:
            p.notes.append("infrastructure is shared by every environment: " + ", ".join(infra))
    return p


def _fan_out(state: State, p: PhasePlan, s: ServiceSet) -> bool:
    envs = list(state.options.envs)
    problems: list[Skip] = []
    paths = [str(svc["path"]) for svc in s.services]
    if len(set(paths)) != len(paths):
        problems += [Skip(s.app_name(svc), "several services of the ApplicationSet share one "
                          "chart folder, so their image tags cannot have a tag.yaml each")
                     for svc in s.services]
    namespace = str((s.spec.get("destination") or {}).get("namespace") or "")
    if not namespace:
        problems += [Skip(s.app_name(svc), f"the template of ApplicationSet {s.name} sets no "
                          "destination namespace") for svc in s.services]
    removals: dict[str, list[LeafPath]] = defaultdict(list)
    tags: dict[str, dict[str, Any]] = {}
    for svc in s.services if not problems else []:
        name = s.app_name(svc)
        info = state.info(name)
        chart = str(svc["path"])
        if info is None:
            problems.append(Skip(name, f"ApplicationSet {s.name} does not generate it"))
            continue
        for env in envs:
            for rel in (f"{chart}/{env}/tag.yaml", f"{chart}/{env}/values.yaml"):
                if state.exists(rel):
                    problems.append(Skip(name, f"{rel} exists already"))
        place = tag_place(info, lambda rel: state.text(rel) or "")
        tags[name] = {}
        if place.place in ("unset", "chart") or place.tag is None:
            continue
        if place.place != "values" or not place.file:
            problems.append(Skip(name, f"its image tag is set in {place.place} "
                                 f"({place.file or 'the Application'}); move it into the "
                                 "chart's values first"))
            continue
        winner = next((layer for layer in info.layers if layer.file == place.file), None)
        path = tag_path(winner.data or {}, place.tag) if winner is not None else None
        if path is None:
            problems.append(Skip(name, f"the image tag {place.tag} is not a tag key of "
                                 f"{place.file}"))
            continue
        tags[name] = nested([(path, lookup(winner.data if winner else {}, path)[1])])
        for layer in info.layers:
            if layer.kind not in ("chart", "file") or layer.file is None or layer.secrets:
                continue
            if not lookup(layer.data or {}, path)[0]:
                continue
            if not layer.file.startswith(chart + "/"):
                problems.append(Skip(name, f"its image tag is also set in {layer.file}, "
                                     "which other charts may read"))
            removals[layer.file].append(path)
    if problems:
        p.skipped += problems
        return False
    # value files
    for file, leaves in sorted(removals.items()):
        text = state.text(file) or ""
        p.add(file, "update", remove_leaves(text, file, leaves),
              "image tag moved to <env>/tag.yaml")
    for svc in s.services:
        chart, name = str(svc["path"]), str(svc["name"])
        for env in envs:
            p.add(f"{chart}/{env}/tag.yaml", "create", value_file(
                f"{name} in {env}: the image tag, in a file of its own so that a release\n"
                "changes one line", tags[s.app_name(svc)]))
            p.add(f"{chart}/{env}/values.yaml", "create", value_file(
                f"{name} in {env}: what differs from ../values.yaml (shared by every "
                "environment)", {}))
    # the ApplicationSet
    axis = [{"env": env, "ns_suffix": "" if i == 0 else f"-{env}"} for i, env in enumerate(envs)]
    old = s.name_pattern
    new = old + "-{{env}}"
    doc = Document(state.text(s.file) or "", s.file)
    sets.set_axis(doc.data, axis)
    sets.template_meta(doc.data)["name"] = new
    helm = sets.helm(doc.data)
    if "releaseName" not in helm:
        helm.insert(0, "releaseName", old)
    destination = sets.template_spec(doc.data)["destination"]
    destination["namespace"] = namespace + "{{ns_suffix}}"
    sets.insert_value_files(doc.data, [TAG_FILE, VALUES_FILE])
    p.add(s.file, "update", doc.text(),
          f"generator: services x {', '.join(envs)}; Applications {new}")
    destinations: dict[str, list[dict[str, str]]] = defaultdict(list)
    template = dict(s.spec.get("destination") or {})
    template["namespace"] = namespace + "{{ns_suffix}}"
    for svc in s.services:
        p.renames[s.app_name(svc)] = fill(new, s.params(svc, axis[0]))
        for point in axis[1:]:
            params = s.params(svc, point)
            project = fill(str(s.spec.get("project") or "default"), params)
            destinations[project].append({k: fill(str(v), params) for k, v in template.items()
                                          if k in ("server", "name", "namespace") and v})
    extend_projects(state, p, destinations)
    return True
