"""Phase regions: the environment axis of every service ApplicationSet becomes environment x
region. Each environment and region gets `<env>/<region>.values.yaml` (empty to begin with,
read after `<env>/values.yaml`); Applications are named `<service>-<region>-<env>`. The first
region is where today's deployments run: they keep their namespaces, release names and
values. The others get the environment's namespace with `-<region>` appended; AppProjects of
the environments admit the new namespaces.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from argoplane.argocd.templating.fasttemplate import replace as fill
from argoplane.core.errors import InputError
from argoplane.layout.migrate import servicesets as sets
from argoplane.layout.migrate.environments import VALUES_FILE, needs_sets
from argoplane.layout.migrate.model import NeedsPhase, PhasePlan, Skip
from argoplane.layout.migrate.projects import extend_projects
from argoplane.layout.migrate.servicesets import ServiceSet
from argoplane.layout.migrate.state import State
from argoplane.layout.migrate.valuefiles import text_of as value_file
from argoplane.layout.roundtrip import Document

REGION_FILE = "{{env}}/{{region}}.values.yaml"


def plan(state: State) -> PhasePlan:
    p = PhasePlan("regions")
    regions = list(state.options.regions)
    if not regions:
        raise InputError("the regions phase needs --regions (the first is where today's "
                         "deployments run), for example --regions eu,us")
    needs_sets(state, "regions", "adds a region axis to ApplicationSets")
    if state.sets and all(s.axis is None for s in state.sets):
        raise NeedsPhase("the regions phase adds regions to the environments of each "
                         "ApplicationSet: run `argoplane migrate --phase environments "
                         "--apply` first")
    for name, reason in sorted(state.foreign.items()):
        p.notes.append(f"ApplicationSet {name} is left as it is: {reason}")
    for s in state.sets:
        if s.axis is None:
            p.skipped += [Skip(s.app_name(svc), f"ApplicationSet {s.name} has no environments "
                               "yet; the environments phase comes first") for svc in s.services]
        elif s.regions:
            p.notes.append(f"ApplicationSet {s.name} has regions already: "
                           + ", ".join(s.regions))
    destinations: dict[str, list[dict[str, str]]] = defaultdict(list)
    done = [s.name for s in state.sets
            if s.axis is not None and not s.regions and _add(state, p, s, regions, destinations)]
    extend_projects(state, p, destinations)
    if done:
        p.title = (f"{', '.join(done)}: every environment in {', '.join(regions)}; "
                   f"{regions[0]} is where today's deployments run")
    return p


def _add(state: State, p: PhasePlan, s: ServiceSet, regions: list[str],
         destinations: dict[str, list[dict[str, str]]]) -> bool:
    assert s.axis is not None
    axis: list[dict[str, Any]] = []
    for point in s.axis:
        for i, region in enumerate(regions):
            item = {"env": point["env"], "region": region}
            item.update({k: v for k, v in point.items() if k not in item})
            item["ns_suffix"] = str(point.get("ns_suffix") or "") + ("" if i == 0
                                                                     else f"-{region}")
            axis.append(item)
    files = [f"{svc['path']}/{env}/{region}.values.yaml" for svc in s.services
             for env in s.envs for region in regions]
    clash = [f for f in files if state.exists(f)]
    if clash:
        p.skipped += [Skip(s.app_name(svc), f"{clash[0]} exists already") for svc in s.services]
        return False
    old = s.name_pattern
    new = old.replace("{{env}}", "{{region}}-{{env}}") if "{{env}}" in old else (
        old + "-{{region}}")
    doc = Document(state.text(s.file) or "", s.file)
    sets.set_axis(doc.data, axis)
    sets.template_meta(doc.data)["name"] = new
    sets.insert_value_files(doc.data, [REGION_FILE], after=VALUES_FILE)
    p.add(s.file, "update", doc.text(),
          f"axis: {', '.join(s.envs)} x {', '.join(regions)}; Applications {new}")
    for svc in s.services:
        for env in s.envs:
            for region in regions:
                p.add(f"{svc['path']}/{env}/{region}.values.yaml", "create", value_file(
                    f"{svc['name']} in {env}, region {region}: what differs from "
                    f"../values.yaml and {env}/values.yaml", {}))
        for point in s.axis:  # today's Applications run in the first region
            first = next(a for a in axis if a["env"] == point["env"])
            p.renames[s.app_name(svc, point)] = fill(new, s.params(svc, first))
    destination = s.spec.get("destination") or {}
    for svc in s.services:
        for point in axis:
            params = s.params(svc, point)
            project = fill(str(s.spec.get("project") or "default"), params)
            dest = {k: fill(str(v), params) for k, v in destination.items()
                    if k in ("server", "name", "namespace") and v}
            destinations[project].append(dest)
    return True
