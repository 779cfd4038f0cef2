"""Delivery rules: how Applications sync (AP011) and which revision production follows
(AP018)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping
from typing import Any

from argoplane.argocd.objects import sources_of, spec_of
from argoplane.checks.context import LintContext, automated, source_path
from argoplane.checks.model import Hit, Rule
from argoplane.render.model import RenderedApp

COMMIT = re.compile(r"^[0-9a-f]{7,40}$")
VERSION = re.compile(r"^v?\d+(\.\d+)*([-+][0-9A-Za-z.+-]+)?$")
CHART_VERSION = re.compile(r"^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$")


def _names(app: RenderedApp) -> list[str]:
    names = [app.name]
    for source in sources_of(app.manifest):
        if source.get("chart"):
            names.append(str(source["chart"]))
        if source.get("path"):
            names.append(posixpath.basename(str(source["path"]).rstrip("/")))
    return names


def is_critical(ctx: LintContext, app: RenderedApp) -> bool:
    """Databases and ingress: by name (`lint.criticalApps`), an IngressClass, or a StatefulSet
    with volume claim templates."""
    if any(ctx.settings.is_critical(n) for n in _names(app)):
        return True
    for res in app.resources:
        if res.kind == "IngressClass":
            return True
        spec = spec_of(res.manifest)
        if res.kind == "StatefulSet" and spec.get("volumeClaimTemplates"):
            return True
    return False


def _is_service(ctx: LintContext, app: RenderedApp) -> bool:
    """An Application built from this repository (not a third-party chart)."""
    sources = sources_of(app.manifest)
    return bool(sources) and all(
        not s.get("chart") and ctx.snapshot.is_this_repo(str(s.get("repoURL") or ""))
        for s in sources)


def _sync(ctx: LintContext) -> Iterator[Hit]:
    for app in ctx.tree.apps:
        auto = automated(app.manifest)
        if is_critical(ctx, app):
            if auto is not None and auto.get("prune") is True:
                site = ctx.app_site(app, ("spec", "syncPolicy", "automated", "prune"))
                yield Hit(f"Application {app.name} is critical infrastructure (a database or "
                          "ingress) and syncs with automated prune: a bad commit deletes its "
                          "resources without review", app, site.file, site.line)
        elif auto is None and _is_service(ctx, app):
            site = ctx.app_site(app, ("spec", "syncPolicy"))
            yield Hit(f"Application {app.name} does not sync automatically: merged changes wait "
                      "for someone to press Sync", app, site.file, site.line)


def moving_revision(source: Mapping[str, Any]) -> str | None:
    """Why a source's targetRevision moves (a branch, HEAD, a chart version range), or None."""
    revision = str(source.get("targetRevision") or "").strip()
    if source.get("chart"):
        if not revision:
            return "no chart version (the newest one is used)"
        if CHART_VERSION.match(revision):
            return None
        return f"chart version {revision!r}, a range that moves with new releases"
    if not revision or revision.upper() == "HEAD":
        shown = revision or "no targetRevision"
        return f"{shown} (the default branch), which moves with every commit"
    if COMMIT.match(revision) or VERSION.match(revision) or revision.startswith("refs/tags/"):
        return None
    return f"{revision!r}, a branch that moves with every commit"


def _revisions(ctx: LintContext) -> Iterator[Hit]:
    for app in ctx.tree.apps:
        if not ctx.is_production(app):
            continue
        for i, source in enumerate(sources_of(app.manifest)):
            why = moving_revision(source)
            if why is None:
                continue
            site = ctx.app_site(app, (*source_path(app.manifest, i), "targetRevision"))
            yield Hit(f"Application {app.name} (production) follows {why}", app, site.file,
                      site.line)


RULES = [
    Rule(
        "AP011", "sync-policy", "Service without automated sync, or critical infrastructure "
        "with automated prune", "warning",
        """Two opposite risks. A service Application (built from this repository) without
`syncPolicy.automated` is only deployed when someone presses Sync, so Git stops describing what
runs. Critical infrastructure (databases, ingress controllers: recognised by name, by an
IngressClass, or by a StatefulSet with volume claims) with `automated.prune: true` lets one bad
commit delete a database or all ingress traffic without review.

Fix: enable `syncPolicy.automated` for services; for critical infrastructure, drop
`prune: true` (prune by hand after reviewing the diff) or sync it manually. Names of critical
applications are matched with `lint.criticalApps` globs in `.argoplane.yaml`.""",
        _sync,
    ),
    Rule(
        "AP018", "moving-revision", "Production follows a moving branch or HEAD", "warning",
        """An Application marked as production (by its name, project, destination or cluster)
has a source whose `targetRevision` is `HEAD`, empty, or a branch name, or a chart version
range. Every merge to that branch reaches production at once, and the revision in production
cannot be told from the Application alone.

Fix: point production at a tag (`v1.4.0`) or a commit and promote by changing it, and pin chart
versions exactly (`16.2.1`). If production deliberately follows a release branch that only
receives reviewed promotions, silence the rule on that Application with the annotation
`argoplane.io/ignore: AP018`.""",
        _revisions,
    ),
]
