"""AppProject rules: undefined projects (AP003), destinations (AP004), source repositories
(AP005) and resource kinds (AP006), with Argo CD's own matching (argoplane.argocd.projects)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from argoplane.argocd.kinds import is_namespaced
from argoplane.argocd.objects import Destination, sources_of, spec_of
from argoplane.argocd.projects import destination_permitted, group_kind_permitted, source_permitted
from argoplane.checks.context import LintContext, source_path, sync_options
from argoplane.checks.model import Hit, Rule
from argoplane.render.model import RenderedApp, Resource


def _with_project(ctx: LintContext) -> Iterator[tuple[RenderedApp, str, Mapping[str, Any]]]:
    for app in ctx.tree.apps:
        name = ctx.project(app)
        spec = ctx.project_spec(name)
        if spec is not None:
            yield app, name, spec


def _undefined(ctx: LintContext) -> Iterator[Hit]:
    for app in ctx.tree.apps:
        name = ctx.project(app)
        if name in ctx.tree.projects:
            continue
        site = ctx.app_site(app, ("spec", "project"))
        if name == "default":
            yield Hit(f"Application {app.name} uses the built-in default project, which allows "
                      "every repository, destination and kind", app, site.file, site.line,
                      level="warning")
        else:
            yield Hit(f"Application {app.name} uses project {name!r}, which no AppProject in "
                      "the repository defines", app, site.file, site.line)


def _permits(ctx: LintContext, project: str, spec: Mapping[str, Any], app: RenderedApp
             ) -> Callable[[str], bool]:
    """Whether the project lets the app's (resolved) cluster receive a given namespace."""
    dest = Destination.of(app.manifest)
    cluster = ctx.cluster(app)
    server = cluster.server if cluster else dest.server
    name = cluster.name if cluster else dest.name
    project_clusters = [c for c in ctx.clusters if c.project == project]

    def permitted(namespace: str) -> bool:
        return destination_permitted(
            spec.get("destinations") or [], server, name, namespace,
            permit_only_project_scoped_clusters=bool(spec.get("permitOnlyProjectScopedClusters")),
            project_clusters=project_clusters)

    return permitted


def _destinations(ctx: LintContext) -> Iterator[Hit]:
    for app, project, spec in _with_project(ctx):
        dest = Destination.of(app.manifest)
        site = ctx.app_site(app, ("spec", "destination"))
        if dest.name and dest.server:
            yield Hit(f"Application {app.name}: the destination sets both name and server; Argo "
                      "CD refuses it", app, site.file, site.line)
            continue
        if not dest.name and not dest.server:
            yield Hit(f"Application {app.name}: the destination has neither server nor name",
                      app, site.file, site.line)
            continue
        if dest.name and ctx.clusters and ctx.cluster(app) is None:
            yield Hit(f"Application {app.name}: destination cluster {dest.name!r} is not one of "
                      "the clusters in .argoplane.yaml; Argo CD reports \"there are no clusters "
                      "with this name\"", app, site.file, site.line)
            continue
        permitted = _permits(ctx, project, spec, app)
        label = dest.name or dest.server
        if not permitted(dest.namespace):
            yield Hit(f"Application {app.name}: destination {label}/{dest.namespace or '(none)'} "
                      f"is not permitted in project {project!r}", app, site.file, site.line)
            continue
        refused: set[str] = set()
        for res in app.resources:
            if not _namespaced(ctx, res) or res.namespace in ("", dest.namespace, *refused):
                continue
            if not permitted(res.namespace):
                refused.add(res.namespace)
                where = ctx.resource_site(res, ("metadata", "namespace"))
                yield Hit(f"Application {app.name}: {res.kind} {res.name} goes to namespace "
                          f"{res.namespace}, which is not permitted in project {project!r}",
                          app, where.file, where.line, manifest=res.manifest)


def _sources(ctx: LintContext) -> Iterator[Hit]:
    for app, project, spec in _with_project(ctx):
        repos = [str(r) for r in spec.get("sourceRepos") or []]
        checked: list[tuple[tuple[str | int, ...], Any]] = [
            (source_path(app.manifest, i), s) for i, s in enumerate(sources_of(app.manifest))]
        hydrator = spec_of(app.manifest).get("sourceHydrator")
        if isinstance(hydrator, Mapping) and isinstance(hydrator.get("drySource"), Mapping):
            checked.append((("spec", "sourceHydrator", "drySource"), hydrator["drySource"]))
        for path, source in checked:
            url = str(source.get("repoURL") or "")
            if url and not source_permitted(repos, url):
                site = ctx.app_site(app, (*path, "repoURL"))
                yield Hit(f"Application {app.name}: source repository {url} is not permitted in "
                          f"project {project!r}", app, site.file, site.line)


def _crd_scopes(ctx: LintContext) -> dict[tuple[str, str], bool]:
    """(group, kind) -> namespaced, for the CustomResourceDefinitions rendered in the tree."""
    key = "crd-scopes"
    if key not in ctx.memo:
        scopes: dict[tuple[str, str], bool] = {}
        for app in ctx.tree.apps:
            for res in app.resources:
                if res.kind == "CustomResourceDefinition":
                    spec = spec_of(res.manifest)
                    names = spec.get("names")
                    kind = names.get("kind") if isinstance(names, Mapping) else ""
                    scopes[(str(spec.get("group") or ""), str(kind or ""))] = (
                        spec.get("scope") != "Cluster")
        ctx.memo[key] = scopes
    return ctx.memo[key]  # type: ignore[no-any-return]


def _namespaced(ctx: LintContext, res: Resource) -> bool:
    found = _crd_scopes(ctx).get((res.group, res.kind))
    return found if found is not None else is_namespaced(res.group, res.kind)


def _kinds(ctx: LintContext) -> Iterator[Hit]:
    for app, project, spec in _with_project(ctx):
        dest = Destination.of(app.manifest)
        has_namespace = False
        for res in app.resources:
            namespaced = _namespaced(ctx, res)
            if res.kind == "Namespace" and res.group == "" and res.name == dest.namespace:
                has_namespace = True
            if not group_kind_permitted(spec, res.group, res.kind, res.name, namespaced):
                site = ctx.resource_site(res)
                scope = "namespaced" if namespaced else "cluster-scoped"
                yield Hit(f"Application {app.name}: {res.kind} {res.name} ({scope} "
                          f"{res.group or 'core'}/{res.kind}) is not permitted in project "
                          f"{project!r}", app, site.file, site.line, manifest=res.manifest)
        if ("CreateNamespace=true" in sync_options(app.manifest) and dest.namespace
                and not has_namespace
                and not group_kind_permitted(spec, "", "Namespace", dest.namespace, False)):
            site = ctx.app_site(app, ("spec", "syncPolicy", "syncOptions"))
            yield Hit(f"Application {app.name}: CreateNamespace=true creates Namespace "
                      f"{dest.namespace}, but project {project!r} does not permit Namespaces "
                      "(clusterResourceWhitelist)", app, site.file, site.line)


RULES = [
    Rule(
        "AP003", "undefined-project", "Application in a project the repository does not define",
        "error",
        """The Application names an AppProject that no manifest in the repository defines. Argo CD
refuses to reconcile it ("application references project X which does not exist") until the
project is created by hand, so the repository alone does not describe the platform. Using the
built-in `default` project is reported as a warning: it allows every source repository, every
destination and every kind, so the project boundaries mean nothing.

Fix: add an AppProject manifest for the project (deployed before the Applications that use it),
or move the Application to a project that exists; give every team or environment its own
project instead of `default`.""",
        _undefined,
    ),
    Rule(
        "AP004", "destination-not-permitted", "Destination not permitted by the AppProject",
        "error",
        """The Application's destination cluster and namespace (or the namespace of one of its
resources) match none of the project's `destinations`, or match a `!` deny entry. Argo CD
matches server or name and namespace with globs exactly as argoplane does here; the Application
then fails with "application destination ... is not permitted in project". A destination with
both `name` and `server`, or with a cluster name that is not known, is refused too.

Fix: correct the destination, or add an entry to the project's `destinations` (for example
`{name: prod-eu, namespace: 'shop-*'}`). A deny entry (`namespace: '!kube-system'`) refuses
what it names whatever the other entries allow.""",
        _destinations,
    ),
    Rule(
        "AP005", "source-not-permitted", "Source repository not permitted by the AppProject",
        "error",
        """A source `repoURL` matches none of the project's `sourceRepos` (globs on the
normalised URL; `!` entries deny). Argo CD refuses the Application with "application repo ...
is not permitted in project".

Fix: add the repository, or a glob such as `https://charts.example.com/*`, to the project's
`sourceRepos`, or use an approved mirror of the chart or repository.""",
        _sources,
    ),
    Rule(
        "AP006", "kind-not-permitted", "Resource kind not permitted by the AppProject", "error",
        """A rendered resource's group and kind is not allowed by the project: cluster-scoped kinds
must be listed in `clusterResourceWhitelist` (and not in `clusterResourceBlacklist`); namespaced
kinds must not be in `namespaceResourceBlacklist` and, when `namespaceResourceWhitelist` is set,
must be in it. With `CreateNamespace=true`, the Namespace itself is a cluster-scoped resource
of the project. Argo CD fails the sync with "resource ... is not permitted in project".

Fix: allow the kind in the project (for example `{group: '', kind: Namespace}`), or move the
resource to an Application in a project that may create it (cluster-wide RBAC, CRDs and
webhooks usually belong to a platform project).""",
        _kinds,
    ),
]
