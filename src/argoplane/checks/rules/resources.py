"""Ownership of what lands in clusters: shared resources (AP012), destination namespaces
(AP013), namespaces shared by services (AP015)."""

from __future__ import annotations

from collections.abc import Iterator

from argoplane.argocd.objects import Destination, argo_kind
from argoplane.checks.context import LintContext, sync_options
from argoplane.checks.model import Hit, Rule
from argoplane.render.model import RenderedApp

SYSTEM_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})


def _shared(ctx: LintContext) -> Iterator[Hit]:
    owners: dict[tuple[str, str, str, str, str], str] = {}
    for app in ctx.tree.apps:
        cluster = ctx.cluster_key(app)
        for res in app.resources:
            key = (cluster, *res.key())
            first = owners.setdefault(key, app.name)
            if first == app.name:
                continue
            site = ctx.resource_site(res)
            where = f"{res.namespace}/{res.name}" if res.namespace else res.name
            yield Hit(f"Application {app.name}: {res.kind} {where} is also rendered by "
                      f"Application {first}; the two fight over it on every sync", app,
                      site.file, site.line, manifest=res.manifest)


def _created_namespaces(ctx: LintContext) -> set[tuple[str, str]]:
    return {(ctx.cluster_key(app), res.name) for app in ctx.tree.apps for res in app.resources
            if res.kind == "Namespace" and res.group == ""}


def _namespaces(ctx: LintContext) -> Iterator[Hit]:
    created = _created_namespaces(ctx)
    exempt = SYSTEM_NAMESPACES | {ctx.argocd_namespace}
    for app in ctx.tree.apps:
        dest = Destination.of(app.manifest)
        namespace = dest.namespace
        if app.status != "rendered" or not namespace or namespace in exempt:
            continue
        if not any(res.namespace == namespace for res in app.resources):
            continue
        if "CreateNamespace=true" in sync_options(app.manifest):
            continue
        if (ctx.cluster_key(app), namespace) in created:
            continue
        site = ctx.app_site(app, ("spec", "destination", "namespace"))
        yield Hit(f"Application {app.name}: namespace {namespace} is neither created by a "
                  "manifest nor by CreateNamespace=true; the first sync fails unless someone "
                  "creates it by hand", app, site.file, site.line)


def _deploys_workloads(app: RenderedApp) -> bool:
    """Renders (or would render) something besides Argo CD's own objects."""
    if app.status == "skipped":
        return True
    return any(argo_kind(res.manifest) is None for res in app.resources)


def _crowded(ctx: LintContext) -> Iterator[Hit]:
    exempt = (SYSTEM_NAMESPACES - {"default"}) | {ctx.argocd_namespace}
    groups: dict[tuple[str, str], list[RenderedApp]] = {}
    for app in ctx.tree.apps:
        namespace = Destination.of(app.manifest).namespace
        if not namespace or namespace in exempt or not _deploys_workloads(app):
            continue
        groups.setdefault((ctx.cluster_key(app), namespace), []).append(app)
    for (_, namespace), apps in groups.items():
        names = sorted({a.name for a in apps})
        if len(names) < 2:
            continue
        for app in apps:
            others = ", ".join(n for n in names if n != app.name)
            site = ctx.app_site(app, ("spec", "destination", "namespace"))
            yield Hit(f"Application {app.name} shares namespace {namespace} with {others}",
                      app, site.file, site.line)


RULES = [
    Rule(
        "AP012", "shared-resource", "The same resource rendered by two Applications", "error",
        """Two Applications render an object with the same group, kind, namespace and name on the
same cluster. Argo CD tracks each object for one Application only: the two apps overwrite each
other on every sync, one of them shows it as out of sync forever (SharedResourceWarning), and
pruning one app can delete the other's object.

Fix: keep each object in exactly one Application (move shared ConfigMaps, CRDs and namespaces
to a common platform Application), or give the objects different names.""",
        _shared,
    ),
    Rule(
        "AP013", "namespace-not-created", "Destination namespace is never created", "warning",
        """The Application deploys into a namespace that no manifest in the repository creates
(no `Namespace` object on that cluster) and it does not set `CreateNamespace=true`. The first
sync on a new cluster fails with "namespaces not found" until someone creates it by hand, which
the repository then does not record. Argo CD's own namespace and Kubernetes' system namespaces
are taken to exist.

Fix: add `CreateNamespace=true` to `syncPolicy.syncOptions` (with `managedNamespaceMetadata`
for labels), or add a `Namespace` manifest to the Application or a platform Application.""",
        _namespaces,
    ),
    Rule(
        "AP015", "shared-namespace", "Several services share one namespace", "info",
        """Two or more Applications deploy workloads into the same namespace of the same cluster.
Namespaces are the unit of RBAC, quotas, network policies and cleanup: sharing one couples the
services (a quota or policy for one applies to all, and deleting one app's namespace removes
the others).

Fix: give each service its own namespace (for example `<service>-<region>-<env>`), unless the
services are deliberately one unit.""",
        _crowded,
    ),
]
