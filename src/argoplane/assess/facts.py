"""The facts of a repository: what it deploys, where, and how much of it there is."""

from __future__ import annotations

from argoplane.argocd.objects import ARGO_KINDS, argo_kind
from argoplane.assess.inventory import Inventory
from argoplane.assess.model import Facts


def facts_of(inventory: Inventory, argocd_files: int) -> Facts:
    tree = inventory.tree
    workloads = inventory.workloads
    charts = {a.source_path for a in inventory.apps if a.source_type == "helm" and a.source_path}
    clusters = {a.cluster for a in inventory.apps}
    clusters |= {c.name for c in inventory.snapshot.config.clusters}
    return Facts(
        services=[c.name for c in inventory.services],
        infrastructure=[c.name for c in inventory.infrastructure],
        environments=sorted({e for a in workloads if a.role == "service" for e in a.envs}),
        regions=sorted({r for a in workloads if a.role == "service" for r in a.regions}),
        clusters=sorted(clusters),
        namespaces=sorted({a.destination.namespace for a in workloads if a.destination.namespace}),
        projects=sorted(tree.projects),
        projects_used=sorted({a.project for a in inventory.apps}),
        roots=list(tree.roots),
        applications=len(tree.apps),
        applications_rendered=sum(a.status == "rendered" for a in tree.apps),
        applications_skipped=sum(a.status == "skipped" for a in tree.apps),
        applications_failed=sum(a.status == "error" for a in tree.apps),
        applicationsets=len(tree.appsets),
        argocd_files=argocd_files,
        charts=len(charts),
        resources=sum(1 for a in tree.apps for r in a.resources
                      if argo_kind(r.manifest) not in ARGO_KINDS),
    )
